package io.github.gsbridge.plugin.runcommand;

import io.github.gsbridge.credentials.GsconnectPairingStore;
import io.github.gsbridge.plugin.PluginSettings;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.LogCapture;
import io.github.gsbridge.testsupport.RealComponents;
import io.github.gsbridge.tls.LocalCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GSConnect's command lists in a real dconf, checked through GSConnect's own schema with
 * {@code gsettings}, which is how GSConnect and its preferences read and write them.
 */
class GsconnectCommandStoreTest {
    private static final String SCHEMA = "org.gnome.Shell.Extensions.GSConnect.Plugin.RunCommand";
    private static final String PHONE = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private GsconnectHome home;
    private GsconnectCommandStore store;

    @BeforeEach
    void setUp() throws Exception {
        RealComponents.requireOnPath("gsettings");
        RealComponents.requireOnPath("dconf");
        home = GsconnectHome.create(dir.resolve("gsconnect"), LocalCertificate.newDeviceId(), "desk");
        store = new GsconnectCommandStore(PluginSettings.gsconnect("runcommand", new GsconnectPairingStore(home.dconf())));
    }

    @AfterEach
    void tearDown() {
        if (home != null) {
            home.close();
        }
    }

    /** Runs gsettings on the device's runcommand settings, as GSConnect's preferences do; returns stdout. */
    private String gsettings(String verb, String... rest) throws Exception {
        List<String> command = new ArrayList<>(List.of("gsettings", verb,
                SCHEMA + ":/org/gnome/shell/extensions/gsconnect/device/" + PHONE + "/plugin/runcommand/",
                "command-list"));
        command.addAll(List.of(rest));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(home.environment());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), command + ": " + out);
        return out.strip();
    }

    @Test
    void readsTheListGsconnectsPreferencesWrote() throws Exception {
        gsettings("set", "{'0c1d': <{'name': 'Lock', 'command': 'loginctl lock-session'}>,"
                + " 'e2f3': <{'name': 'Suspend', 'command': 'systemctl suspend'}>}");
        assertEquals(Map.of("0c1d", new Command("Lock", "loginctl lock-session"),
                "e2f3", new Command("Suspend", "systemctl suspend")), store.list(PHONE));
        assertEquals(Map.of(), store.list("fedcba9876543210fedcba9876543210"));
    }

    @Test
    void whatWeWriteIsWhatGsconnectReads() throws Exception {
        Command awkward = new Command("Don't \"panic\" — ünïcode", "printf '%s\\n' \"$HOME\" | tr a-z A-Z\t# \\ tab");
        store.put(PHONE, "k1", awkward);
        store.put(PHONE, "k2", new Command("Lock", "loginctl lock-session"));
        // GSettings checks the stored value against the schema's a{sv}; a wrong type reads as the default {}
        String seen = gsettings("get");
        assertTrue(seen.startsWith("{'k1': <{'name': "), seen);
        assertTrue(seen.contains("'k2': <{'name': 'Lock', 'command': 'loginctl lock-session'}>"), seen);
        assertEquals(Map.of("k1", awkward, "k2", new Command("Lock", "loginctl lock-session")), store.list(PHONE));

        assertTrue(store.remove(PHONE, "k1"));
        assertFalse(store.remove(PHONE, "k1"));
        assertEquals("{'k2': <{'name': 'Lock', 'command': 'loginctl lock-session'}>}", gsettings("get"));
        assertTrue(store.remove(PHONE, "k2"));
        assertEquals("@a{sv} {}", gsettings("get"));
    }

    @Test
    void entriesThatAreNoCommandAreLeftOut() throws Exception {
        gsettings("set", "{'good': <{'name': 'Lock', 'command': 'loginctl lock-session'}>, 'text': <'rm -rf ~'>,"
                + " 'half': <{'name': 'No command'}>}");
        try (LogCapture log = LogCapture.start()) {
            assertEquals(Map.of("good", new Command("Lock", "loginctl lock-session")), store.list(PHONE));
            assertEquals(1, log.matching("left out entries that are not a name and a command: [text, half]").size());
        }
    }
}
