package io.github.gsbridge.plugin.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.gsbridge.desktop.DesktopNotifier;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.desktop.FreedesktopNotifier;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.plugin.notification.DeviceNotification;
import io.github.gsbridge.plugin.notification.NotificationPlugin.NotificationPosted;
import io.github.gsbridge.plugin.notification.NotificationPlugin.NotificationRemoved;
import io.github.gsbridge.plugin.notification.OutgoingNotification;
import io.github.gsbridge.plugin.notification.NotificationPlugin.OwnNotificationDismissed;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.LoopbackPhone;
import io.github.gsbridge.testsupport.NotificationServer;
import io.github.gsbridge.testsupport.PrivateBus;
import io.github.gsbridge.testsupport.RealComponents;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notification plugin in a real daemon, with an in-repo peer playing an Android phone and a
 * real dbus-daemon carrying a test notification server for the desktop side.
 */
class NotificationPluginTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What kdeconnect-android announces for notifications. */
    static final Set<String> PHONE_IN = Set.of(NotificationPackets.NOTIFICATION, NotificationPackets.REQUEST,
            NotificationPackets.ACTION, NotificationPackets.REPLY, PingPlugin.TYPE);
    static final Set<String> PHONE_OUT = Set.of(NotificationPackets.NOTIFICATION, NotificationPackets.REQUEST,
            PingPlugin.TYPE);

    @TempDir
    Path dir;

    private PrivateBus bus;
    private FreedesktopNotifier notifier;
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeEach
    void startBus() throws Exception {
        RealComponents.requireOnPath("dbus-daemon");
        bus = PrivateBus.start(dir.resolve("bus"));
        notifier = new FreedesktopNotifier(bus.address());
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        notifier.close();
        bus.close();
    }

    private LoopbackPhone phone(DesktopNotifier desktop) throws Exception {
        LoopbackPhone phone = LoopbackPhone.start(dir, events -> List.of(new PingPlugin(events),
                new NotificationPlugin(events, desktop, true)), PHONE_IN, PHONE_OUT);
        running.add(phone);
        return phone;
    }

    private NotificationServer server() throws Exception {
        NotificationServer server = NotificationServer.start(bus.address(), List.of("body"));
        running.add(server);
        return server;
    }

    private static NotificationPlugin plugin(LoopbackPhone phone) {
        return phone.daemon().plugins().get(NotificationPlugin.class);
    }

    private static Packet phoneNotification(String id, String title, String text) {
        Packet packet = new Packet(NotificationPackets.NOTIFICATION);
        packet.body().put("id", id).put("isClearable", true).put("appName", "Telegram").put("time", "1700000000000")
                .put("silent", false).put("ticker", title + ": " + text).put("title", title).put("text", text);
        return packet;
    }

    private static Packet cancel(String id) {
        Packet packet = new Packet(NotificationPackets.NOTIFICATION);
        packet.body().put("id", id).put("isCancel", true);
        return packet;
    }

    @Test
    void asksForAllNotificationsOnConnect() throws Exception {
        LoopbackPhone phone = phone(DesktopNotifier.none());
        Packet request = phone.peer().awaitPacket(p -> p.isType(NotificationPackets.REQUEST), WAIT);
        assertEquals(JSON.createObjectNode().put("request", true), request.body());
    }

    @Test
    void phoneNotificationsArePostedUpdatedRemovedAndMirroredOnTheDesktop() throws Exception {
        NotificationServer server = server();
        LoopbackPhone phone = phone(notifier);
        String id = "0|org.telegram.messenger|7|null|10123";

        phone.peer().send(phone.link(), phoneNotification(id, "Bob", "hi"));
        NotificationPosted posted = phone.events().await(NotificationPosted.class, e -> true, WAIT);
        DeviceNotification expected = new DeviceNotification(id, "Telegram", "Bob", "hi", "Bob: hi", true,
                1700000000000L, List.of(), Optional.empty());
        assertEquals(new NotificationPosted(phone.peerId(), expected), posted);
        assertEquals(List.of(expected), plugin(phone).list(phone.peerId()));
        NotificationServer.Call shown = server.await(c -> c.member().equals("Notify"), WAIT);
        assertEquals("RawPeer", shown.appName(), "the device is the origin");
        assertEquals("Telegram: Bob", shown.summary());
        assertEquals("hi", shown.body());

        phone.peer().send(phone.link(), phoneNotification(id, "Bob", "hi again"));
        phone.events().await(NotificationPosted.class, e -> e.notification().text().equals("hi again"), WAIT);
        assertEquals("hi again", plugin(phone).list(phone.peerId()).get(0).text());
        NotificationServer.Call replaced = server.await(c -> c.body().equals("hi again"), WAIT);
        assertEquals(shown.id(), replaced.replacesId(), "an update replaces the desktop notification");

        phone.peer().send(phone.link(), cancel(id));
        assertEquals(new NotificationRemoved(phone.peerId(), id),
                phone.events().await(NotificationRemoved.class, e -> true, WAIT));
        assertEquals(List.of(), plugin(phone).list(phone.peerId()));
        server.await(c -> c.member().equals("CloseNotification") && c.id() == shown.id(), WAIT);
    }

    @Test
    void silentNotificationsAreListedButNotShown() throws Exception {
        NotificationServer server = server();
        LoopbackPhone phone = phone(notifier);
        Packet old = phoneNotification("old", "Alarm", "7:00");
        old.body().put("silent", true);
        phone.peer().send(phone.link(), old);
        phone.peer().send(phone.link(), phoneNotification("new", "Bob", "hi"));
        // the desktop executor works in order: once "new" is shown, "old" was passed over
        server.await(c -> c.body().equals("hi"), WAIT);
        assertEquals(List.of("old", "new"), plugin(phone).list(phone.peerId()).stream().map(DeviceNotification::id)
                .toList());
        assertEquals(1, server.calls().size(), server.calls().toString());
    }

    @Test
    void repliesAndButtonPressesGoToThePhone() throws Exception {
        LoopbackPhone phone = phone(DesktopNotifier.none());
        Packet chat = phoneNotification("chat-1", "Bob", "lunch?");
        chat.body().put("requestReplyId", "5a1c7e2e-reply");
        chat.body().putArray("actions").add("Mark as read").add("Mute");
        phone.peer().send(phone.link(), chat);
        phone.peer().send(phone.link(), phoneNotification("plain", "Battery", "15 %"));
        phone.events().await(NotificationPosted.class, e -> e.notification().id().equals("plain"), WAIT);
        NotificationPlugin plugin = plugin(phone);
        assertTrue(plugin.list(phone.peerId()).get(0).repliable());

        plugin.reply(phone.device(), "chat-1", "yes, 12:30");
        Packet reply = phone.peer().awaitPacket(p -> p.isType(NotificationPackets.REPLY), WAIT);
        assertEquals(JSON.createObjectNode().put("requestReplyId", "5a1c7e2e-reply").put("message", "yes, 12:30"),
                reply.body());
        plugin.activate(phone.device(), "chat-1", "Mute");
        Packet action = phone.peer().awaitPacket(p -> p.isType(NotificationPackets.ACTION), WAIT);
        assertEquals(JSON.createObjectNode().put("key", "chat-1").put("action", "Mute"), action.body());

        IllegalArgumentException noSuchButton = assertThrows(IllegalArgumentException.class,
                () -> plugin.activate(phone.device(), "chat-1", "Delete"));
        assertTrue(noSuchButton.getMessage().contains("has no action \"Delete\"; it has [Mark as read, Mute]"),
                noSuchButton.getMessage());
        IllegalArgumentException noReply = assertThrows(IllegalArgumentException.class,
                () -> plugin.reply(phone.device(), "plain", "ok"));
        assertTrue(noReply.getMessage().contains("takes no reply"), noReply.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> plugin.reply(phone.device(), "gone", "ok"));
        assertTrue(unknown.getMessage().contains("shows no notification gone"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plugin.reply(phone.device(), "chat-1", ""));
    }

    @Test
    void malformedNotificationsAreRefusedAndTheLinkGoesOn() throws Exception {
        LoopbackPhone phone = phone(notifier);
        // A number as id is taken (kdeconnectd 25.04 sends one); these are not.
        for (String body : List.of("{}", "{\"id\":4.2}", "{\"id\":\"a\",\"title\":7}", "{\"id\":\"a\",\"time\":\"x\"}",
                "{\"id\":\"a\",\"actions\":{}}",
                "{\"id\":\"a\",\"requestReplyId\":[5]}")) {
            Packet packet = new Packet(NotificationPackets.NOTIFICATION);
            packet.body().setAll((ObjectNode) JSON.readTree(body));
            phone.peer().send(phone.link(), packet);
        }
        phone.peer().send(phone.link(), cancel("never-posted"));
        phone.peer().send(phone.link(), phoneNotification("ok", "Bob", "fine"));
        phone.events().await(NotificationPosted.class, e -> true, WAIT);
        assertEquals(1, phone.events().all(NotificationPosted.class).size());
        assertTrue(phone.events().all(NotificationRemoved.class).isEmpty());
        assertEquals(List.of("ok"), plugin(phone).list(phone.peerId()).stream().map(DeviceNotification::id).toList());
    }

    @Test
    void dismissAsksThePhoneAndForgetsTheNotification() throws Exception {
        LoopbackPhone phone = phone(notifier);
        phone.peer().send(phone.link(), phoneNotification("n1", "Bob", "hi"));
        phone.events().await(NotificationPosted.class, e -> true, WAIT);

        plugin(phone).dismiss(phone.device(), "n1");
        Packet request = phone.peer().awaitPacket(p -> p.isType(NotificationPackets.REQUEST)
                && p.body().has("cancel"), WAIT);
        assertEquals(JSON.createObjectNode().put("cancel", "n1"), request.body());
        phone.events().await(NotificationRemoved.class, e -> e.id().equals("n1"), WAIT);
        assertEquals(List.of(), plugin(phone).list(phone.peerId()));
    }

    @Test
    void aDismissalTheDeviceCannotTakeKeepsTheNotification() throws Exception {
        Set<String> takesNoRequests = new HashSet<>(PHONE_IN);
        takesNoRequests.remove(NotificationPackets.REQUEST);
        LoopbackPhone phone = LoopbackPhone.start(dir, events -> List.of(new PingPlugin(events),
                new NotificationPlugin(events, notifier, true)), takesNoRequests, PHONE_OUT);
        running.add(phone);
        phone.peer().send(phone.link(), phoneNotification("n1", "Bob", "hi"));
        phone.events().await(NotificationPosted.class, e -> true, WAIT);

        assertThrows(DeviceException.class, () -> plugin(phone).dismiss(phone.device(), "n1"));
        assertEquals(List.of("n1"), plugin(phone).list(phone.peerId()).stream().map(DeviceNotification::id).toList());
        assertTrue(phone.events().all(NotificationRemoved.class).isEmpty());
    }

    @Test
    void aPhoneOnANewLinkGetsOursAgainThoughTheOldLinkWasNotSeenToClose() throws Exception {
        LoopbackPhone phone = phone(DesktopNotifier.none());
        String id = plugin(phone).send(phone.device(), new OutgoingNotification(Optional.of("ours"), "Build", "t", "x",
                Optional.empty(), false));
        phone.peer().awaitPacket(p -> p.isType(NotificationPackets.NOTIFICATION), WAIT);

        // the phone comes again on a new link while its old one still looks open to us (a Wi-Fi
        // roam, say): the new link takes over, and the phone asks for all of ours
        phone.peer().forgetHistory();
        phone.events().clear();
        phone.peer().connectTo(LoopbackNode.LOOPBACK, phone.daemon().identity().withTcpPort(phone.daemon().tcpPort()));
        phone.events().await(DeviceEvent.Connected.class, e -> e.deviceId().equals(phone.peerId()), WAIT);
        Link link = phone.peer().awaitLink(WAIT);
        for (long deadline = System.nanoTime() + WAIT.toNanos(); link == phone.link(); link = phone.peer().awaitLink(WAIT)) {
            assertTrue(System.nanoTime() < deadline, "the phone has no new link");
            Thread.sleep(20);
        }
        assertTrue(phone.events().all(DeviceEvent.Disconnected.class).isEmpty(), "a swap, not a disconnection");
        Packet request = new Packet(NotificationPackets.REQUEST);
        request.body().put("request", true);
        phone.peer().send(link, request);
        Packet again = phone.peer().awaitPacket(p -> p.isType(NotificationPackets.NOTIFICATION), WAIT);
        assertEquals(id, again.body().get("id").asText());
        assertTrue(again.body().path("silent").asBoolean(), again.toString());
    }

    @Test
    void theOldestIsDroppedPastTheBound() throws Exception {
        LoopbackPhone phone = phone(DesktopNotifier.none());
        int count = NotificationPlugin.MAX_RECEIVED_PER_DEVICE + 1;
        for (int i = 0; i < count; i++) {
            phone.peer().send(phone.link(), phoneNotification("n" + i, "t", "x" + i));
        }
        phone.events().await(NotificationPosted.class, e -> e.notification().id().equals("n" + (count - 1)), WAIT);
        List<DeviceNotification> kept = plugin(phone).list(phone.peerId());
        assertEquals(NotificationPlugin.MAX_RECEIVED_PER_DEVICE, kept.size());
        assertEquals("n1", kept.get(0).id());
        assertEquals(List.of(new NotificationRemoved(phone.peerId(), "n0")),
                phone.events().all(NotificationRemoved.class));
    }

    @Test
    void eachFieldIsBounded() throws Exception {
        LoopbackPhone phone = phone(DesktopNotifier.none());
        String huge = "x".repeat(1024 * 1024);
        Packet packet = phoneNotification("big", huge, huge);
        packet.body().put("appName", huge).put("ticker", huge);
        phone.peer().send(phone.link(), packet);
        Packet longId = phoneNotification("i".repeat(NotificationPackets.MAX_ID + 1), "t", "x");
        phone.peer().send(phone.link(), longId);
        Packet manyActions = phoneNotification("actions", "t", "x");
        for (int i = 0; i <= NotificationPackets.MAX_ACTIONS; i++) {
            manyActions.body().withArray("actions").add("a" + i);
        }
        phone.peer().send(phone.link(), manyActions);
        phone.peer().send(phone.link(), phoneNotification("after", "t", "x"));
        phone.events().await(NotificationPosted.class, e -> e.notification().id().equals("after"), WAIT);

        List<DeviceNotification> kept = plugin(phone).list(phone.peerId());
        assertEquals(List.of("big", "after"), kept.stream().map(DeviceNotification::id).toList(),
                "an id or actions past the bounds refuse the packet; the link goes on");
        DeviceNotification big = kept.get(0);
        assertEquals(NotificationPackets.MAX_APP_NAME, big.appName().length());
        assertEquals(NotificationPackets.MAX_TITLE, big.title().length());
        assertEquals(NotificationPackets.MAX_TEXT, big.text().length());
        assertEquals(NotificationPackets.MAX_TEXT, big.ticker().length());
        assertTrue(big.text().endsWith("…"), "a cut text says so");
        assertEquals("\uD83D\uDE00".repeat(3) + "…", NotificationPackets.cut("\uD83D\uDE00".repeat(5), 8),
                "never half a character");
    }

    @Test
    void theOldestIsDroppedPastTheTotalSize() throws Exception {
        LoopbackPhone phone = phone(DesktopNotifier.none());
        String text = "y".repeat(NotificationPackets.MAX_TEXT);
        int count = 200;
        for (int i = 0; i < count; i++) {
            phone.peer().send(phone.link(), phoneNotification("n" + i, "t", text));
        }
        phone.events().await(NotificationPosted.class, e -> e.notification().id().equals("n" + (count - 1)), WAIT);
        List<DeviceNotification> kept = plugin(phone).list(phone.peerId());
        long total = kept.stream().mapToLong(NotificationPackets::size).sum();
        assertTrue(total <= NotificationPlugin.MAX_RECEIVED_CHARS_PER_DEVICE, total + " characters kept");
        assertTrue(kept.size() < count && kept.size() > 10, kept.size() + " kept");
        assertEquals("n" + (count - 1), kept.get(kept.size() - 1).id());
        assertEquals(count - kept.size(), phone.events().all(NotificationRemoved.class).size(),
                "each forgotten notification is removed");
    }

    @Test
    void disconnectForgetsThePhonesNotifications() throws Exception {
        NotificationServer server = server();
        LoopbackPhone phone = phone(notifier);
        phone.peer().send(phone.link(), phoneNotification("n1", "Bob", "hi"));
        NotificationServer.Call shown = server.await(c -> c.member().equals("Notify"), WAIT);
        phone.link().close();
        phone.events().await(NotificationRemoved.class, e -> e.id().equals("n1"), WAIT);
        assertEquals(List.of(), plugin(phone).list(phone.peerId()));
        server.await(c -> c.member().equals("CloseNotification") && c.id() == shown.id(), WAIT);
    }

    @Test
    void phoneIconIsFetchedAndShown() throws Exception {
        NotificationServer server = server();
        LoopbackPhone phone = phone(notifier);
        byte[] icon = png(3, 2);
        Packet packet = phoneNotification("n1", "Bob", "with icon");
        packet.body().put("payloadHash", NotificationPackets.payloadHash(icon));
        phone.peer().offerPayload(phone.link(), packet, icon);
        NotificationServer.Call shown = server.await(c -> c.body().equals("with icon"), WAIT);
        Object[] image = (Object[]) shown.hints().get("image-data").getValue();
        assertEquals(List.of(3, 2), List.of(image[0], image[1]));

        // Android sends the bytes only when the icon changed; the hash alone finds it again
        Packet update = phoneNotification("n1", "Bob", "same icon");
        update.body().put("payloadHash", NotificationPackets.payloadHash(icon));
        phone.peer().send(phone.link(), update);
        assertTrue(server.await(c -> c.body().equals("same icon"), WAIT).hints().containsKey("image-data"));
    }

    @Test
    void phoneIconWithAWrongHashIsDropped() throws Exception {
        NotificationServer server = server();
        LoopbackPhone phone = phone(notifier);
        Packet packet = phoneNotification("n1", "Bob", "lying icon");
        packet.body().put("payloadHash", "00000000000000000000000000000000");
        phone.peer().offerPayload(phone.link(), packet, png(1, 1));
        assertTrue(server.await(c -> c.body().equals("lying icon"), WAIT).hints().isEmpty());
    }

    @Test
    void withoutANotificationServerNothingBreaks() throws Exception {
        LoopbackPhone phone = phone(notifier);
        phone.peer().send(phone.link(), phoneNotification("n1", "Bob", "nobody shows this"));
        phone.events().await(NotificationPosted.class, e -> true, WAIT);
        phone.peer().send(phone.link(), cancel("n1"));
        phone.events().await(NotificationRemoved.class, e -> true, WAIT);
        // the link still works
        phone.daemon().plugins().get(PingPlugin.class).ping(phone.device(), Optional.of("still here"));
        phone.peer().awaitPacket(p -> p.isType(PingPlugin.TYPE), WAIT);
    }

    @Test
    void sendsWithdrawsAndResendsOurNotifications() throws Exception {
        LoopbackPhone phone = phone(DesktopNotifier.none());
        NotificationPlugin plugin = plugin(phone);
        long before = System.currentTimeMillis();
        String id = plugin.send(phone.device(), new OutgoingNotification(Optional.empty(), "Build", "gsbridge", "tests passed",
                Optional.empty(), true));
        Packet sent = phone.peer().awaitPacket(p -> p.isType(NotificationPackets.NOTIFICATION), WAIT);
        assertEquals(id, sent.body().get("id").asText());
        assertTrue(id.matches("[0-9a-f-]{36}"), "a generated UUID: " + id);
        assertEquals("gsbridge: tests passed", sent.body().get("ticker").asText());
        long time = Long.parseLong(sent.body().get("time").asText());
        assertTrue(time >= before && time <= System.currentTimeMillis(), "time " + time);

        assertEquals("mine", plugin.send(phone.device(), new OutgoingNotification(Optional.of("mine"), "App", "t", "x",
                Optional.empty(), false)));

        // asked for all of them on this link, which they reached already: nothing comes again
        Packet request = new Packet(NotificationPackets.REQUEST);
        request.body().put("request", true);
        phone.peer().send(phone.link(), request);
        phone.peer().send(phone.link(), new Packet(PingPlugin.TYPE));
        phone.events().await(PingPlugin.PingReceived.class, e -> true, WAIT);
        assertTrue(phone.peer().received().stream().noneMatch(p -> p.body().path("silent").asBoolean()),
                phone.peer().received().toString());

        // the phone comes back and asks for all of them: both come again, silently
        phone.link().close();
        phone.peer().awaitClosed(phone.link(), WAIT);
        phone.events().await(DeviceEvent.Disconnected.class, e -> e.deviceId().equals(phone.peerId()), WAIT);
        phone.events().clear();
        phone.peer().forgetHistory();
        phone.peer().connectTo(LoopbackNode.LOOPBACK,
                phone.daemon().identity().withTcpPort(phone.daemon().tcpPort()));
        Link link = phone.peer().awaitLink(WAIT);
        phone.events().await(DeviceEvent.Connected.class, e -> e.deviceId().equals(phone.peerId()), WAIT);
        phone.peer().send(link, request);
        phone.peer().awaitPacket(p -> p.isType(NotificationPackets.NOTIFICATION)
                && p.body().path("silent").asBoolean() && p.body().get("id").asText().equals("mine"), WAIT);
        assertTrue(phone.peer().received().stream().anyMatch(p -> p.body().path("silent").asBoolean()
                && p.body().path("id").asText().equals(id)));

        plugin.withdraw(phone.device(), "mine");
        Packet withdrawn = phone.peer().awaitPacket(p -> p.body().path("isCancel").asBoolean(), WAIT);
        assertEquals(JSON.createObjectNode().put("id", "mine").put("isCancel", true), withdrawn.body());

        // the user dismisses ours on the phone
        Packet dismissed = new Packet(NotificationPackets.REQUEST);
        dismissed.body().put("cancel", id);
        phone.peer().send(link, dismissed);
        phone.events().await(OwnNotificationDismissed.class, e -> e.id().equals(id), WAIT);

        // neither is re-sent any more
        int seen = phone.peer().received().size();
        phone.peer().send(link, request);
        phone.daemon().plugins().get(PingPlugin.class).ping(phone.device(), Optional.of("after"));
        phone.peer().awaitPacket(p -> p.isType(PingPlugin.TYPE), WAIT);
        assertTrue(phone.peer().received().subList(seen, phone.peer().received().size()).stream()
                .noneMatch(p -> p.isType(NotificationPackets.NOTIFICATION)), phone.peer().received().toString());
    }

    @Test
    void iconGoesAsPayloadWithItsHash() throws Exception {
        LoopbackPhone phone = phone(DesktopNotifier.none());
        byte[] icon = png(4, 4);
        Path file = Files.write(dir.resolve("icon.png"), icon);
        String id = plugin(phone).send(phone.device(), new OutgoingNotification(Optional.empty(), "App", "t", "x",
                Optional.of(file), true));
        Packet sent = phone.peer().awaitPacket(p -> p.isType(NotificationPackets.NOTIFICATION), WAIT);
        assertEquals(id, sent.body().get("id").asText());
        assertEquals(NotificationPackets.payloadHash(icon), sent.body().get("payloadHash").asText());
        assertEquals(icon.length, sent.payloadSize());
        try (java.io.InputStream in = phone.peer().fetchPayload(phone.link(), sent)) {
            assertArrayEquals(icon, in.readAllBytes());
        }
    }

    /**
     * kdeconnectd asks for all our notifications right after connecting; one sent just before,
     * whose icon it is fetching, must not come a second time (kdeconnectd then shows neither).
     */
    @Test
    void aNotificationWhoseIconIsOnItsWayIsNotSentAgainOnRequest() throws Exception {
        LoopbackPhone phone = phone(DesktopNotifier.none());
        NotificationPlugin plugin = plugin(phone);
        byte[] icon = png(4, 4);
        Path file = Files.write(dir.resolve("icon.png"), icon);
        plugin.send(phone.device(), new OutgoingNotification(Optional.empty(), "App", "first", "x",
                Optional.of(file), true));
        Packet sent = phone.peer().awaitPacket(p -> p.isType(NotificationPackets.NOTIFICATION), WAIT);
        Packet request = new Packet(NotificationPackets.REQUEST);
        request.body().put("request", true);
        phone.peer().send(phone.link(), request);
        // The request is handled before the ping that follows it on the same link.
        phone.peer().send(phone.link(), new Packet(PingPlugin.TYPE));
        phone.events().await(PingPlugin.PingReceived.class, e -> true, WAIT);
        // Icons go one after the other: a second copy of the first would come before this one.
        String second = plugin.send(phone.device(), new OutgoingNotification(Optional.empty(), "App", "second", "x",
                Optional.of(file), true));
        try (java.io.InputStream in = phone.peer().fetchPayload(phone.link(), sent)) {
            assertArrayEquals(icon, in.readAllBytes());
        }
        Packet next = phone.peer().awaitPacket(p -> p.isType(NotificationPackets.NOTIFICATION)
                && !p.equals(sent), WAIT);
        assertEquals(second, next.body().path("id").asText(), "the first notification came again: " + next);
    }

    @Test
    void unusableIconsAreRefusedWithTheReason() throws Exception {
        LoopbackPhone phone = phone(DesktopNotifier.none());
        Path big = dir.resolve("big.png");
        byte[] bytes = new byte[NotificationPlugin.MAX_ICON_BYTES + 1];
        System.arraycopy(png(1, 1), 0, bytes, 0, 8);
        Files.write(big, bytes);
        DeviceException tooBig = assertThrows(DeviceException.class, () -> plugin(phone).send(phone.device(),
                new OutgoingNotification(Optional.empty(), "App", "t", "x", Optional.of(big), true)));
        assertEquals(phone.peerId() + ": kdeconnect.notification: icon " + big + " has 1048577 bytes, over the limit"
                + " of 1048576", tooBig.getMessage());

        Path text = Files.writeString(dir.resolve("icon.txt"), "not a picture");
        DeviceException notPng = assertThrows(DeviceException.class, () -> plugin(phone).send(phone.device(),
                new OutgoingNotification(Optional.empty(), "App", "t", "x", Optional.of(text), true)));
        assertTrue(notPng.getMessage().endsWith("is not a PNG file"), notPng.getMessage());

        Path missing = dir.resolve("missing.png");
        DeviceException absent = assertThrows(DeviceException.class, () -> plugin(phone).send(phone.device(),
                new OutgoingNotification(Optional.empty(), "App", "t", "x", Optional.of(missing), true)));
        assertTrue(absent.getMessage().endsWith("is not a regular file"), absent.getMessage());
    }

    private static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xff336699);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
