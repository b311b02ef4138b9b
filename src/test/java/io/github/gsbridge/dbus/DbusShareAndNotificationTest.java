package io.github.gsbridge.dbus;

import io.github.gsbridge.transfer.Transfer1;
import io.github.gsbridge.plugin.findmyphone.FindMyPhoneDevice1;
import io.github.gsbridge.plugin.notification.NotificationDevice1;
import io.github.gsbridge.plugin.share.ShareDevice1;
import io.github.gsbridge.plugin.notification.OutgoingNotification;
import io.github.gsbridge.Error;
import io.github.gsbridge.plugin.notification.NotificationPlugin;
import io.github.gsbridge.plugin.share.SharePlugin;
import io.github.gsbridge.testsupport.BusFixture;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.ManagedProcess;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Device1's share and notification methods and signals, and the matching GSConnect actions,
 * between gsbridge "alpha" on the bus and "beta". The argument checks pass on their own; the
 * transfers need the share and notification plugins.
 */
class DbusShareAndNotificationTest {
    @TempDir
    Path dir;
    private BusFixture fx;
    private LoopbackNode beta;
    private ShareDevice1 share;
    private NotificationDevice1 notifications;
    private FindMyPhoneDevice1 ring;
    private String path;

    @BeforeEach
    void start() throws Exception {
        fx = new BusFixture(dir.resolve("fixture"));
        for (Class<? extends org.freedesktop.dbus.messages.DBusSignal> type : List.of(
                Properties.PropertiesChanged.class, ShareDevice1.FileReceived.class, ShareDevice1.UrlReceived.class,
                ShareDevice1.TextReceived.class, NotificationDevice1.NotificationPosted.class, NotificationDevice1.NotificationRemoved.class)) {
            fx.record(type);
        }
        beta = fx.pairedBeta();
        path = DbusService.devicePath(beta.id());
        share = fx.remote(path, ShareDevice1.class);
        notifications = fx.remote(path, NotificationDevice1.class);
        ring = fx.remote(path, FindMyPhoneDevice1.class);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    private Path file(String name, int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    private void awaitArrival(Path sent) throws Exception {
        SharePlugin.FileReceived received = beta.events().await(SharePlugin.FileReceived.class,
                e -> Path.of(e.path()).getFileName().equals(sent.getFileName()), BusFixture.WAIT);
        assertArrayEquals(Files.readAllBytes(sent), Files.readAllBytes(Path.of(received.path())));
    }

    @Test
    void shareFilesReturnsATransferThatCompletes() throws Exception {
        Path photo = file("photo.jpg", 300_000);
        Path notes = file("notes.txt", 1_000);
        String transfer = share.ShareFiles(List.of(photo.toString(), notes.toUri().toString()), false).getPath();
        fx.awaitProperty(transfer, "State", "completed");
        awaitArrival(photo);
        awaitArrival(notes);
        assertEquals(path, ((org.freedesktop.dbus.DBusPath) fx.property(transfer, Transfer1.NAME, "Device")).getPath());
        assertEquals("out", fx.property(transfer, Transfer1.NAME, "Direction"));
    }

    @Test
    void shareFilesChecksItsArguments() throws Exception {
        Files.createDirectories(dir.resolve("folder"));
        for (List<String> bad : List.of(List.<String>of(), List.of("relative.txt"), List.of(dir + "/missing.txt"),
                List.of(dir + "/folder"), List.of("https://example.org/a.txt"), List.of("file://host/%zz"))) {
            Error.InvalidArgument error = assertThrows(Error.InvalidArgument.class, () -> share.ShareFiles(bad, false),
                    bad.toString());
            assertTrue(error.getMessage().startsWith("Cannot send files to beta: "), error.getMessage());
        }
    }

    @Test
    void gsconnectShareFileActionSendsTheFile() throws Exception {
        Path report = file("report.pdf", 20_000);
        fx.gdbus.call(DbusService.BUS_NAME, path, "org.gtk.Actions.Activate", "shareFile",
                "[<('" + report + "', false)>]", "{}").assertOk("Activate shareFile");
        awaitArrival(report);
    }

    @Test
    void urlAndTextGoOut() throws Exception {
        share.ShareUrl("https://example.org/page");
        beta.events().await(SharePlugin.UrlReceived.class, e -> e.url().equals("https://example.org/page"),
                BusFixture.WAIT);
        share.ShareText("some text");
        beta.events().await(SharePlugin.TextReceived.class, e -> e.text().equals("some text"), BusFixture.WAIT);
        fx.gdbus.call(DbusService.BUS_NAME, path, "org.gtk.Actions.Activate", "shareUri",
                "[<'https://example.org/other'>]", "{}").assertOk("Activate shareUri");
        beta.events().await(SharePlugin.UrlReceived.class, e -> e.url().equals("https://example.org/other"),
                BusFixture.WAIT);
        fx.gdbus.call(DbusService.BUS_NAME, path, "org.gtk.Actions.Activate", "shareText", "[<'more'>]", "{}")
                .assertOk("Activate shareText");
        beta.events().await(SharePlugin.TextReceived.class, e -> e.text().equals("more"), BusFixture.WAIT);
    }

    @Test
    void filesUrlsAndTextComeIn() throws Exception {
        SharePlugin betaShare = beta.daemon().plugins().get(SharePlugin.class);
        Path song = file("song.ogg", 50_000);
        betaShare.shareFiles(beta.device(fx.alpha.id()), List.of(song), false);
        ShareDevice1.FileReceived file = fx.await(ShareDevice1.FileReceived.class, s -> s.getPath().equals(path));
        assertArrayEquals(Files.readAllBytes(song), Files.readAllBytes(Path.of(file.file)));
        assertTrue(file.transfer.getPath().startsWith(DbusService.MANAGER_PATH + "/Transfer/"), file.transfer.getPath());
        assertEquals("in", fx.property(file.transfer.getPath(), Transfer1.NAME, "Direction"));

        betaShare.shareUrl(beta.device(fx.alpha.id()), "https://example.org/in");
        assertEquals("https://example.org/in", fx.await(ShareDevice1.UrlReceived.class, s -> s.getPath().equals(path)).url);
        betaShare.shareText(beta.device(fx.alpha.id()), "text in");
        assertEquals("text in", fx.await(ShareDevice1.TextReceived.class, s -> s.getPath().equals(path)).text);
    }

    @Test
    void notificationsGoOutAndAreWithdrawn() throws Exception {
        String id = notifications.SendNotification(Map.of("title", new Variant<>("Build"), "text", new Variant<>("done"),
                "appName", new Variant<>("ci"), "id", new Variant<>("build-1")));
        assertEquals("build-1", id);
        NotificationPlugin.NotificationPosted posted = beta.events().await(NotificationPlugin.NotificationPosted.class,
                e -> e.notification().title().equals("Build"), BusFixture.WAIT);
        assertEquals("done", posted.notification().text());
        notifications.WithdrawNotification(id);
        beta.events().await(NotificationPlugin.NotificationRemoved.class, e -> e.id().equals(posted.notification().id()),
                BusFixture.WAIT);

        String generated = notifications.SendNotification(Map.of("title", new Variant<>("No id")));
        assertFalse(generated.isEmpty());
        fx.gdbus.call(DbusService.BUS_NAME, path, "org.gtk.Actions.Activate", "sendNotification",
                "[<{'title': <'From a script'>, 'body': <'GSConnect style'>, 'icon': <'dialog-information'>}>]", "{}")
                .assertOk("Activate sendNotification");
        beta.events().await(NotificationPlugin.NotificationPosted.class,
                e -> e.notification().title().equals("From a script") && e.notification().text().equals("GSConnect style"),
                BusFixture.WAIT);
    }

    @Test
    void sendNotificationChecksItsArguments() throws Exception {
        Path notAnImage = Files.createDirectories(dir.resolve("icons"));
        for (Map<String, Variant<?>> bad : List.<Map<String, Variant<?>>>of(
                Map.of(), Map.of("text", new Variant<>("")),
                Map.of("title", new Variant<>(42)),
                Map.of("title", new Variant<>("t"), "colour", new Variant<>("red")),
                Map.of("title", new Variant<>("t"), "icon", new Variant<>("dialog-information")),
                Map.of("title", new Variant<>("t"), "icon", new Variant<>(notAnImage.toString())),
                Map.of("title", new Variant<>("t"), "isClearable", new Variant<>("yes")))) {
            assertThrows(Error.InvalidArgument.class, () -> notifications.SendNotification(bad), bad.toString());
        }
    }

    @Test
    void theDevicesNotificationsAreListedSignalledAndDismissed() throws Exception {
        NotificationPlugin betaNotifications = beta.daemon().plugins().get(NotificationPlugin.class);
        String id = betaNotifications.send(beta.device(fx.alpha.id()), new OutgoingNotification(
                Optional.of("chat-7"), "Chat", "Ann", "lunch?", Optional.empty(), true));
        NotificationDevice1.NotificationPosted posted = fx.await(NotificationDevice1.NotificationPosted.class, s -> s.getPath().equals(path));
        assertEquals("Ann", posted.notification.get("title").getValue());
        assertEquals("lunch?", posted.notification.get("text").getValue());
        assertEquals("Chat", posted.notification.get("appName").getValue());

        List<Map<String, Variant<?>>> listed = notifications.ListNotifications();
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(posted.id, listed.get(0).get("id").getValue());
        assertEquals(true, listed.get(0).get("isClearable").getValue());
        assertEquals(false, listed.get(0).get("repliable").getValue());
        Error.InvalidArgument noReply = assertThrows(Error.InvalidArgument.class,
                () -> notifications.ReplyNotification(posted.id, "sure"));
        assertTrue(noReply.getMessage().contains("takes no reply"), noReply.getMessage());
        Error.InvalidArgument noButton = assertThrows(Error.InvalidArgument.class,
                () -> notifications.ActivateNotificationAction(posted.id, "Open"));
        assertTrue(noButton.getMessage().contains("has no action \"Open\""), noButton.getMessage());
        assertThrows(Error.InvalidArgument.class, () -> notifications.ReplyNotification("no-such-id", "sure"));

        notifications.DismissNotification(posted.id);
        betaNotifications.withdraw(beta.device(fx.alpha.id()), id);
        assertEquals(posted.id, fx.await(NotificationDevice1.NotificationRemoved.class, s -> s.getPath().equals(path)).id);
    }

    @Test
    void ringNeedsAReachableDevice() throws Exception {
        beta.close();
        fx.awaitProperty(path, "Reachable", false);
        assertThrows(Error.NotReachable.class, () -> ring.Ring());
        ManagedProcess.Result viaAction = fx.gdbus.call(DbusService.BUS_NAME, path, "org.gtk.Actions.Activate",
                "ring", "[]", "{}");
        assertTrue(viaAction.stderr().contains("io.github.gsbridge.Error.NotReachable"), viaAction.toString());
    }
}
