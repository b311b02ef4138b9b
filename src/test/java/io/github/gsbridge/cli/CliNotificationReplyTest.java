package io.github.gsbridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.plugin.notification.NotificationPackets;
import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.desktop.DesktopNotifier;
import io.github.gsbridge.plugin.notification.NotificationPlugin;
import io.github.gsbridge.testsupport.LoopbackPhone;
import io.github.gsbridge.testsupport.PrivateBus;
import io.github.gsbridge.testsupport.RealComponents;
import io.github.gsbridge.testsupport.Stage;
import io.github.gsbridge.wire.Packet;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Answering a phone's notifications from the command line: the CLI, the D-Bus service and the
 * daemon, with an in-repo peer that accepts replies and actions as kdeconnect-android does.
 */
class CliNotificationReplyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final Stage<Void> stage = Stage.eachTest();
    private PrivateBus bus;
    private LoopbackPhone phone;
    private DbusService service;

    private record Run(int status, String out, String err) { }

    @BeforeEach
    void start() throws Exception {
        RealComponents.requireOnPath("dbus-daemon");
        bus = stage.track(PrivateBus.start(stage.dir().resolve("bus")));
        phone = stage.track(LoopbackPhone.start(stage.dir(),
                events -> List.of(new NotificationPlugin(events, DesktopNotifier.none(), false)),
                Set.of(NotificationPackets.NOTIFICATION, NotificationPackets.REQUEST, NotificationPackets.ACTION,
                        NotificationPackets.REPLY),
                Set.of(NotificationPackets.NOTIFICATION, NotificationPackets.REQUEST)));
        service = stage.track(DbusService.start(phone.daemon(),
                DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build()));
    }

    private Run gsbridge(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("DBUS_SESSION_BUS_ADDRESS", bus.address()), false, stage.dir()));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void repliesAndButtonsReachThePhone() throws Exception {
        Packet chat = new Packet(NotificationPackets.NOTIFICATION);
        chat.body().put("id", "chat-9").put("appName", "Signal").put("title", "Ann").put("text", "train late?")
                .put("isClearable", true).put("requestReplyId", "reply-9");
        chat.body().putArray("actions").add("Mark read");
        phone.peer().send(phone.link(), chat);
        phone.events().await(NotificationPlugin.NotificationPosted.class, e -> true, WAIT);

        Run listed = gsbridge("notifications", "-d", "RawPeer");
        assertEquals(0, listed.status(), listed.toString());
        assertTrue(listed.out().contains("[Signal] Ann: train late?  (id chat-9; repliable; actions: Mark read)"),
                listed.out());

        Run replied = gsbridge("reply", "-d", "RawPeer", "chat-9", "10", "minutes");
        assertEquals(0, replied.status(), replied.toString());
        assertEquals(JSON.createObjectNode().put("requestReplyId", "reply-9").put("message", "10 minutes"),
                phone.peer().awaitPacket(p -> p.isType(NotificationPackets.REPLY), WAIT).body());

        Run pressed = gsbridge("action", "-d", "RawPeer", "chat-9", "Mark read");
        assertEquals(0, pressed.status(), pressed.toString());
        assertEquals(JSON.createObjectNode().put("key", "chat-9").put("action", "Mark read"),
                phone.peer().awaitPacket(p -> p.isType(NotificationPackets.ACTION), WAIT).body());

        Run wrongButton = gsbridge("action", "-d", "RawPeer", "chat-9", "Delete");
        assertEquals(1, wrongButton.status(), wrongButton.toString());
        assertTrue(wrongButton.err().contains("has no action \"Delete\"; it has [Mark read]"), wrongButton.err());
        Run noMessage = gsbridge("reply", "-d", "RawPeer", "chat-9");
        assertEquals(2, noMessage.status(), noMessage.toString());
    }
}
