package io.github.gsbridge.plugin.notification;

import io.github.gsbridge.desktop.FreedesktopNotifier;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.Dunst;
import io.github.gsbridge.testsupport.LoopbackPhone;
import io.github.gsbridge.testsupport.PrivateBus;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The phone's notifications on a real notification server (dunst under Xvfb): its buttons are
 * the desktop notification's, dismissing it on the desktop dismisses it on the phone, and the
 * phone removing it closes the desktop's.
 */
class PhoneNotificationsOnTheDesktopTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    @TempDir
    Path dir;

    private PrivateBus bus;
    private Dunst dunst;
    private FreedesktopNotifier notifier;
    private LoopbackPhone phone;

    @BeforeEach
    void start() throws Exception {
        bus = PrivateBus.start(dir.resolve("bus"));
        dunst = Dunst.start(dir.resolve("dunst"), bus.address());
        notifier = new FreedesktopNotifier(bus.address());
        phone = LoopbackPhone.start(dir, events -> List.of(new PingPlugin(events),
                new NotificationPlugin(events, notifier, true)), NotificationPluginTest.PHONE_IN,
                NotificationPluginTest.PHONE_OUT);
    }

    @AfterEach
    void stop() {
        for (AutoCloseable resource : new AutoCloseable[] {phone, notifier, dunst, bus}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
    }

    private void post(String id, String title, String... actions) throws Exception {
        Packet packet = new Packet(NotificationPackets.NOTIFICATION);
        packet.body().put("id", id).put("isClearable", true).put("appName", "Telegram").put("time", "1700000000000")
                .put("title", title).put("text", "hi");
        var buttons = packet.body().putArray("actions");
        for (String action : actions) {
            buttons.add(action);
        }
        phone.peer().send(phone.link(), packet);
    }

    @Test
    void aButtonPressedOnTheDesktopIsPressedOnThePhone() throws Exception {
        post("n1", "Bob", "Mark as read", "Archive");
        Dunst.Shown shown = dunst.awaitShown(n -> n.summary().equals("Telegram: Bob"));

        dunst.press(shown.id(), "phone-action:Archive");

        Packet pressed = phone.peer().awaitPacket(p -> p.isType(NotificationPackets.ACTION), WAIT);
        assertEquals("n1", pressed.body().get("key").asText());
        assertEquals("Archive", pressed.body().get("action").asText());
        dunst.awaitClosed(shown.id());
        Thread.sleep(500);
        assertTrue(phone.peer().received().stream().noneMatch(p -> p.isType(NotificationPackets.REQUEST)
                && p.body().has("cancel")), "a press is no dismissal: " + phone.peer().received());
    }

    @Test
    void dismissedOnTheDesktopIsDismissedOnThePhone() throws Exception {
        post("n2", "Carol");
        dunst.awaitShown(n -> n.summary().equals("Telegram: Carol"));

        dunst.dismissNewest();

        Packet dismissal = phone.peer().awaitPacket(p -> p.isType(NotificationPackets.REQUEST) && p.body().has("cancel"),
                WAIT);
        assertEquals("n2", dismissal.body().get("cancel").asText());
        assertTrue(phone.daemon().plugins().get(NotificationPlugin.class).list(phone.peerId()).isEmpty());
    }

    @Test
    void removedOnThePhoneIsClosedOnTheDesktop() throws Exception {
        post("n3", "Dave");
        Dunst.Shown shown = dunst.awaitShown(n -> n.summary().equals("Telegram: Dave"));
        Packet cancel = new Packet(NotificationPackets.NOTIFICATION);
        cancel.body().put("id", "n3").put("isCancel", true);
        phone.peer().send(phone.link(), cancel);
        dunst.awaitClosed(shown.id());
    }
}
