package io.github.gsbridge.realpeer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.testsupport.BusMonitor;
import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.KdeConnectSetup;
import io.github.gsbridge.testsupport.KdeConnectVersion;
import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.NotificationServer;
import io.github.gsbridge.testsupport.RealComponents;
import io.github.gsbridge.testsupport.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.gsbridge.testsupport.GsbridgeProcess.event;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Notifications and find-my-phone between gsbridge and the real kdeconnectd (22.12 and 25.04), each
 * in a network namespace, already paired. kdeconnectd shows what we send through its notifications
 * plugin (a {@code Notify} call on its bus and an object per notification), rings through
 * findthisdevice, and plays the phone through sendnotifications, which forwards the {@code Notify}
 * calls it overhears on its own bus.
 */
@ParameterizedClass
@EnumSource(KdeConnectVersion.class)
class NotificationInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String GSBRIDGE_NAME = KdeConnectSetup.GSBRIDGE_NAME;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** kdeconnectd 22.12's findthisdevice, when its configured ring tone is empty. */
    private static final Pattern LOG_NO_RINGTONE =
            Pattern.compile("kdeconnect\\.plugin\\.findthisdevice: Not playing sound, no valid ring tone specified");

    @Parameter
    KdeConnectVersion version;

    @RegisterExtension
    final Stage<KdeConnectSetup> stage = KdeConnectSetup.eachTest(() -> version);

    @BeforeEach
    void requireBusMonitor() {
        RealComponents.requireOnPath("dbus-monitor");
    }

    /** kdeconnectd configured (not started), both sides trusting each other. */
    private KdeConnectPeer prePairedKdeconnectd() throws Exception {
        KdeConnectSetup setup = stage.get();
        return setup.track(setup.prePaired().build());
    }

    /** Writes one of kdeconnectd's per-device files for us, {@code <our id>/<relative>}, before it starts. */
    private void kdeconnectdDeviceConfig(KdeConnectPeer kdc, String relative, String content) throws Exception {
        Path file = kdc.configDir().resolve(stage.get().gsconnect().deviceId()).resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Starts both and waits until the trusted link is up on both sides. */
    private GsbridgeProcess link(KdeConnectPeer kdc) throws Exception {
        return stage.get().link(kdc);
    }

    private String notificationsPath() {
        return "/modules/kdeconnect/devices/" + stage.get().gsconnect().deviceId() + "/notifications";
    }

    /** kdeconnectd's public ids of our notifications ({@code activeNotifications}). */
    private List<String> activeNotifications(KdeConnectPeer kdc) {
        ManagedProcess.Result r = kdc.gdbusCall(KdeConnectPeer.BUS_NAME, notificationsPath(),
                "org.kde.kdeconnect.device.notifications.activeNotifications");
        r.assertOk("activeNotifications()");
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'").matcher(r.stdout());
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private List<String> awaitActiveNotifications(KdeConnectPeer kdc, Predicate<List<String>> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> ids;
        while (!done.test(ids = activeNotifications(kdc))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("kdeconnectd's notifications from us: " + ids + "\n" + kdc.log().tail(40));
            }
            Thread.sleep(100);
        }
        return ids;
    }

    /** One property of kdeconnectd's notification object, as gdbus prints it (e.g. {@code <'text'>}). */
    private String property(KdeConnectPeer kdc, String publicId, String name) {
        ManagedProcess.Result r = kdc.gdbusCall(KdeConnectPeer.BUS_NAME, notificationsPath() + "/" + publicId,
                "org.freedesktop.DBus.Properties.Get", "org.kde.kdeconnect.device.notifications.notification", name);
        r.assertOk("Get " + name);
        Matcher m = Pattern.compile("^\\(<(.*)>,\\)$").matcher(r.stdout().strip());
        assertTrue(m.matches(), r.stdout());
        return m.group(1);
    }

    @Test
    void ourNotificationIsShownByKdeconnectdWithItsIconAndWithdrawn() throws Exception {
        KdeConnectPeer kdc = prePairedKdeconnectd();
        GsbridgeProcess gsbridge = link(kdc);
        byte[] icon = png();
        Path iconFile = Files.write(stage.get().dir().resolve("icon.png"), icon);

        String id;
        try (BusMonitor monitor = BusMonitor.notifications(kdc)) {
            id = gsbridge.command("notify " + kdc.deviceId() + " " + JSON.createObjectNode().put("appName", "Builder")
                    .put("title", "Build 42").put("text", "tests passed").put("icon", iconFile.toString())).get("id")
                    .asText();
            // No notification server there, so kdeconnectd puts the app in the summary and "title: text" in the body.
            BusMonitor.Notification shown = monitor.awaitNotification(n -> n.body().equals("Build 42: tests passed"),
                    WAIT);
            assertEquals("Builder", shown.summary());
        }
        String publicId = awaitActiveNotifications(kdc, ids -> ids.size() == 1).get(0);
        assertEquals("'" + id + "'", property(kdc, publicId, "internalId"));
        assertEquals("'Build 42'", property(kdc, publicId, "title"));
        assertEquals("'tests passed'", property(kdc, publicId, "text"));
        assertEquals("'Build 42: tests passed'", property(kdc, publicId, "ticker"));
        assertEquals("true", property(kdc, publicId, "dismissable"));
        assertEquals("true", property(kdc, publicId, "hasIcon"));
        // kdeconnectd fetched the payload into a file named after payloadHash
        String iconPath = property(kdc, publicId, "iconPath").replaceAll("^'|'$", "");
        assertTrue(iconPath.endsWith("/" + md5(icon)), iconPath);
        assertArrayEquals(icon, Files.readAllBytes(Path.of(iconPath)));

        gsbridge.command("withdraw " + kdc.deviceId() + " " + id);
        awaitActiveNotifications(kdc, List::isEmpty);
    }

    @Test
    void dismissingOursOnKdeconnectdReachesGsbridge() throws Exception {
        KdeConnectPeer kdc = prePairedKdeconnectd();
        GsbridgeProcess gsbridge = link(kdc);
        String id = gsbridge.command("notify " + kdc.deviceId() + " " + JSON.createObjectNode().put("appName", "Mail")
                .put("title", "Alice").put("text", "Lunch?").put("clearable", true)).get("id").asText();
        String publicId = awaitActiveNotifications(kdc, ids -> ids.size() == 1).get(0);

        kdc.gdbusCall(KdeConnectPeer.BUS_NAME, notificationsPath() + "/" + publicId,
                "org.kde.kdeconnect.device.notifications.notification.dismiss").assertOk("dismiss()");
        gsbridge.awaitEvent(e -> e.get("event").asText().equals("OwnNotificationDismissed")
                && e.get("id").asText().equals(id), WAIT);
        assertEquals(List.of(), activeNotifications(kdc));
    }

    @Test
    void kdeconnectdAsksAgainAfterARestartAndGetsOursSilently() throws Exception {
        KdeConnectPeer kdc = prePairedKdeconnectd();
        GsbridgeProcess gsbridge = link(kdc);
        String id = gsbridge.command("notify " + kdc.deviceId() + " " + JSON.createObjectNode().put("appName", "Timer")
                .put("title", "Tea").put("text", "ready")).get("id").asText();
        awaitActiveNotifications(kdc, ids -> ids.size() == 1);

        kdc.stop();
        gsbridge.awaitEvent(event("Disconnected", kdc.deviceId()), WAIT);
        kdc.start();
        kdc.awaitReachable(stage.get().gsconnect().deviceId(), true, WAIT);
        // On connect kdeconnectd's notifications plugin asks for all; gsbridge sends ours again, as silent.
        String publicId = awaitActiveNotifications(kdc, ids -> ids.size() == 1).get(0);
        assertEquals("'" + id + "'", property(kdc, publicId, "internalId"));
        assertEquals("true", property(kdc, publicId, "silent"));
    }

    @Test
    void ringReachesKdeconnectdsFindThisDevice() throws Exception {
        KdeConnectPeer kdc = prePairedKdeconnectd();
        // findthisdevice logs nothing when it plays; with an empty ring tone it says why it does not.
        kdeconnectdDeviceConfig(kdc, "kdeconnect_findthisdevice/config", "[General]\nringtone=\n");
        GsbridgeProcess gsbridge = link(kdc);
        int mark = kdc.log().mark();
        gsbridge.command("ring " + kdc.deviceId());
        kdc.log().waitForLine(mark, LOG_NO_RINGTONE, WAIT);
    }

    @Test
    void kdeconnectdForwardsItsDesktopNotificationsToGsbridge() throws Exception {
        KdeConnectPeer kdc = prePairedKdeconnectd();
        // sendnotifications is off by default on desktops in 22.12; GSConnect users would turn it on.
        kdeconnectdDeviceConfig(kdc, "config", "[Plugins]\nkdeconnect_sendnotificationsEnabled=true\n");
        GsbridgeProcess gsbridge = link(kdc);
        // What each release forwards as clearable: 22.12 an expire timeout of 0 (never), 25.04 one of -1
        // (the server's default).
        String persistent = version == KdeConnectVersion.V22_12 ? "int32 0" : "int32 -1";
        // kdeconnectd only overhears Notify calls that the bus delivers, so a server must own the name.
        try (NotificationServer server = NotificationServer.start(kdc.busAddress(), List.of("body"))) {
            ManagedProcess.Result call = kdc.gdbusCall("org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                    "org.freedesktop.Notifications.Notify", "Builder", "0", "", "Build", "done", "[]", "{}", persistent);
            call.assertOk("Notify on kdeconnectd's bus");
            JsonNode posted = gsbridge.awaitEvent(event("NotificationPosted", kdc.deviceId()), WAIT);
            JsonNode notification = posted.get("notification");
            assertEquals("Builder", notification.get("appName").asText());
            assertEquals("Build: done", notification.get("ticker").asText());
            assertTrue(notification.get("clearable").asBoolean(), "a persistent one is clearable");
            String id = notification.get("id").asText();
            assertEquals(List.of(id), ids(gsbridge.command("notifications " + kdc.deviceId())));

            // replacing it on kdeconnectd's desktop updates it here, under the same id
            long serverId = server.await(c -> c.summary().equals("Build"), WAIT).id();
            kdc.gdbusCall("org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                    "org.freedesktop.Notifications.Notify", "Builder", Long.toString(serverId), "", "Build", "failed",
                    "[]", "{}", persistent).assertOk("Notify (replace)");
            gsbridge.awaitEvent(e -> e.get("event").asText().equals("NotificationPosted")
                    && e.get("notification").get("ticker").asText().equals("Build: failed"), WAIT);
            JsonNode list = gsbridge.command("notifications " + kdc.deviceId());
            // 25.04 numbers what it forwards from a counter of its own, but a replacement with the
            // server's id: the two arrive as two notifications
            assertEquals(version == KdeConnectVersion.V22_12 ? 1 : 2, list.size(), list.toString());
            String replaced = list.get(list.size() - 1).get("id").asText();
            assertEquals("Build: failed", list.get(list.size() - 1).get("ticker").asText());

            // kdeconnectd takes the dismiss request (its sendnotifications ignores it) and the link goes on
            gsbridge.command("dismiss " + kdc.deviceId() + " " + replaced);
            assertFalse(ids(gsbridge.command("notifications " + kdc.deviceId())).contains(replaced));
            kdc.cli("--ping-msg", "still linked", "-d", stage.get().gsconnect().deviceId())
                    .assertOk("kdeconnect-cli --ping-msg");
            gsbridge.awaitEvent(e -> e.get("event").asText().equals("PingReceived")
                    && e.get("message").asText().equals("still linked"), WAIT);
        }
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.forEach(n -> ids.add(n.get("id").asText()));
        return ids;
    }

    private static byte[] png() throws Exception {
        // a fresh picture each run: kdeconnectd would not fetch one it already has under that hash
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(3, 4, (int) System.nanoTime() | 0xff000000);
        image.setRGB(5, 6, java.util.concurrent.ThreadLocalRandom.current().nextInt());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static String md5(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
    }
}
