package io.github.gsbridge.plugin;

import io.github.gsbridge.credentials.GsconnectDconf;
import io.github.gsbridge.credentials.GsconnectPairingStore;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.LogCapture;
import io.github.gsbridge.testsupport.RealComponents;
import io.github.gsbridge.tls.LocalCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plugin's settings as the plugin reads them: GSConnect's keys of that plugin in a real dconf,
 * or the plugin's own file without GSConnect; what is unset, of the wrong type or unreadable is
 * the switch's default, and says so.
 */
class PluginSettingsTest {
    private static final String PHONE = "0123456789abcdef0123456789abcdef";
    private static final PluginSettings.Switch SEND = new PluginSettings.Switch("send-content", false, true);
    private static final PluginSettings.Switch SHOW = new PluginSettings.Switch("show-it", true, false);

    @TempDir
    Path dir;

    @Test
    void gsconnectsKeysOfThePluginAreReadAndWrittenWhereGsconnectKeepsThem() throws Exception {
        RealComponents.requireOnPath("dconf");
        try (GsconnectHome home = GsconnectHome.create(dir.resolve("gsc"), LocalCertificate.newDeviceId(), "desk")) {
            PluginSettings settings = PluginSettings.gsconnect("clipboard", new GsconnectPairingStore(home.dconf()));
            assertTrue(settings.fromGsconnect());
            assertFalse(settings.on(PHONE, SEND), "GSConnect's default while unset");
            assertTrue(settings.on(PHONE, SHOW), "GSConnect's default while unset");

            home.dconf().load(GsconnectDconf.PATH, "[device/" + PHONE + "/plugin/clipboard]\n"
                    + "send-content=true\nshow-it='yes'\nfolder='/tmp/x'\n\n"
                    + "[device/" + PHONE + "/plugin/share]\nsend-content=false\n");
            assertTrue(settings.on(PHONE, SEND), "the plugin's own key, not another plugin's");
            try (LogCapture log = LogCapture.start()) {
                assertTrue(settings.on(PHONE, SHOW));
                assertEquals(1, log.matching(PHONE, "GSConnect's setting plugin/clipboard/show-it is not a boolean (yes); "
                        + "taking it as on").size(), log.matching(PHONE).toString());
            }
            assertEquals(Optional.of("/tmp/x"), settings.text(PHONE, "folder"));
            assertEquals(Optional.empty(), settings.text("fedcba9876543210fedcba9876543210", "folder"));

            settings.write(PHONE, "folder", "'/tmp/y'");
            assertEquals(Optional.of("'/tmp/y'"), home.dconf().read(GsconnectDconf.PATH + "device/" + PHONE
                    + "/plugin/clipboard/folder"));
            settings.reset(PHONE, "send-content");
            assertFalse(settings.on(PHONE, SEND));
        }
    }

    @Test
    void withoutGsconnectThePluginsOwnFileHoldsTheSettings() throws Exception {
        PluginSettings settings = PluginSettings.ownFile("clipboard", dir);
        assertFalse(settings.fromGsconnect());
        assertTrue(settings.on(PHONE, SEND), "the default without GSConnect, with no file");
        assertFalse(settings.on(PHONE, SHOW), "the default without GSConnect, with no file");

        Files.createDirectories(dir.resolve("settings"));
        Files.writeString(dir.resolve("settings/clipboard.json"),
                "{\"" + PHONE + "\": {\"send-content\": false, \"show-it\": \"yes\", \"folder\": \"/tmp/x\"}}");
        assertFalse(settings.on(PHONE, SEND));
        try (LogCapture log = LogCapture.start()) {
            assertFalse(settings.on(PHONE, SHOW));
            assertEquals(1, log.matching(PHONE, "the setting show-it in " + dir.resolve("settings/clipboard.json")
                    + " is not a boolean (yes); taking it as off").size(), log.matching(PHONE).toString());
        }
        assertEquals(Optional.of("/tmp/x"), settings.text(PHONE, "folder"));
        assertTrue(settings.on("fedcba9876543210fedcba9876543210", SEND), "another device's are unset");
        assertThrows(IllegalStateException.class, () -> settings.write(PHONE, "folder", "'/tmp/y'"),
                "gsbridge writes no file the user keeps");
    }

    @Test
    void anUnreadableValueIsTheDefaultAndSaysWhy() throws Exception {
        Files.createDirectories(dir.resolve("settings"));
        Files.writeString(dir.resolve("settings/clipboard.json"), "{\"" + PHONE + "\": {\"send-content\": fal");
        try (LogCapture log = LogCapture.start()) {
            assertTrue(PluginSettings.ownFile("clipboard", dir).on(PHONE, SEND));
            assertEquals(1, log.matching(PHONE, "clipboard.json is not valid JSON", "taking send-content as on").size(),
                    log.matching(PHONE).toString());
        }
        Files.writeString(dir.resolve("settings/clipboard.json"), "{\"" + PHONE + "\": true}");
        try (LogCapture log = LogCapture.start()) {
            assertTrue(PluginSettings.ownFile("clipboard", dir).on(PHONE, SEND));
            assertEquals(1, log.matching(PHONE, "does not hold a JSON object of device ids, each with an object of "
                    + "settings; taking send-content as on").size(), log.matching(PHONE).toString());
        }
        PluginSettings broken = new PluginSettings("clipboard", true, "GSConnect", (deviceId, key) -> {
            throw new PluginSettings.Unreadable("GSConnect's setting plugin/clipboard/" + key + " cannot be read");
        }, Optional.empty());
        assertFalse(broken.on(PHONE, SEND));
        assertEquals(Optional.empty(), broken.text(PHONE, "folder"));
        assertThrows(PluginSettings.Unreadable.class, () -> broken.value(PHONE, "command-list"),
                "a plugin that would overwrite what it read learns it could not read it");
        PluginSettings failing = new PluginSettings("clipboard", true, "GSConnect", (deviceId, key) -> {
            throw new IOException("dconf timed out");
        }, Optional.empty());
        assertEquals("dconf timed out", assertThrows(IOException.class, () -> failing.on(PHONE, SEND))
                .getMessage(), "the store failing is the plugin's to handle");
    }
}
