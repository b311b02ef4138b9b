package io.github.gsbridge.desktop;

import io.github.gsbridge.testsupport.NotificationServer;
import io.github.gsbridge.testsupport.PrivateBus;
import io.github.gsbridge.testsupport.RealComponents;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FreedesktopNotifier against a real private dbus-daemon, with and without a notification server on it. */
class FreedesktopNotifierTest {
    @TempDir
    Path dir;

    private PrivateBus bus;
    private FreedesktopNotifier notifier;

    @BeforeEach
    void startBus() throws Exception {
        RealComponents.requireOnPath("dbus-daemon");
        bus = PrivateBus.start(dir);
        notifier = new FreedesktopNotifier(bus.address());
    }

    @AfterEach
    void stop() {
        notifier.close();
        bus.close();
    }

    @Test
    void showReplaceAndClose() throws Exception {
        try (NotificationServer server = NotificationServer.start(bus.address(), List.of("body"))) {
            int id = notifier.show("Pixel 7", "Signal: Alice", "see you at 5 <b>", 0);
            assertNotEquals(0, id);
            NotificationServer.Call first = server.calls().get(0);
            assertEquals(new NotificationServer.Call("Notify", "Pixel 7", 0, "Signal: Alice", "see you at 5 <b>",
                    first.hints(), id), first, "no body-markup capability: the body goes as it is");

            assertEquals(id, notifier.show("Pixel 7", "Signal: Alice", "on my way", id));
            assertEquals(id, server.calls().get(1).replacesId());

            notifier.close(id);
            assertEquals(new NotificationServer.Call("CloseNotification", "", 0, "", "", java.util.Map.of(), id),
                    server.calls().get(2));
        }
    }

    @Test
    void bodyIsEscapedForServersThatReadMarkup() throws Exception {
        try (NotificationServer server = NotificationServer.start(bus.address(), List.of("body", "body-markup"))) {
            notifier.show("phone", "app", "a < b & c > d", 0);
            assertEquals("a &lt; b &amp; c &gt; d", server.calls().get(0).body());
        }
    }

    @Test
    void pngIconBecomesImageData() throws Exception {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x80ff0000);
        image.setRGB(1, 0, 0xff00ff00);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        try (NotificationServer server = NotificationServer.start(bus.address(), List.of("body"))) {
            notifier.show(DesktopNotifier.Notice.of("phone", "app", "with icon").withIcon(Optional.of(png.toByteArray())));
            Variant<?> hint = server.calls().get(0).hints().get("image-data");
            assertEquals("(iiibiiay)", hint.getSig());
            Object[] fields = (Object[]) hint.getValue();
            assertEquals(List.of(2, 1, 8, true, 8, 4), List.of(fields).subList(0, 6));
            // dbus-java hands an ay inside a variant to the server as a list
            assertEquals(List.of((byte) 0xff, (byte) 0, (byte) 0, (byte) 0x80, (byte) 0, (byte) 0xff, (byte) 0,
                    (byte) 0xff), fields[6]);

            notifier.show(DesktopNotifier.Notice.of("phone", "app", "not an image").withIcon(Optional.of(new byte[] {1, 2, 3})));
            assertTrue(server.calls().get(1).hints().isEmpty(), "undecodable icons are left out");
        }
    }

    @Test
    void withoutAServerNothingIsShownAndNothingThrows() throws Exception {
        assertEquals(0, notifier.show("phone", "app", "nobody listens", 0));
        notifier.close(7);
        // A server that starts later is found.
        try (NotificationServer server = NotificationServer.start(bus.address(), List.of("body"))) {
            assertNotEquals(0, notifier.show("phone", "app", "now someone does", 0));
            assertEquals("now someone does", server.calls().get(0).body());
        }
    }

    @Test
    void withoutABusNothingIsShownAndNothingThrows() {
        FreedesktopNotifier nowhere = new FreedesktopNotifier("unix:path=" + dir.resolve("no-such-bus"));
        assertEquals(0, nowhere.show("phone", "app", "no bus", 0));
        assertEquals(0, nowhere.show("phone", "app", "still no bus", 0));
        nowhere.close(3);
        nowhere.close();
    }
}
