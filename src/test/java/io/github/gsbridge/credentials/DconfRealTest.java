package io.github.gsbridge.credentials;

import io.github.gsbridge.testsupport.PrivateBus;
import io.github.gsbridge.testsupport.RealComponents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the real {@code dconf} against a private session bus and a throw-away config dir. */
class DconfRealTest {
    private static final String GSC = GsconnectDconf.PATH;
    private static final String PAIRED = "_409668b6_0418_40f4_9bf0_709bc753e8c3_";
    private static final String UNPAIRED = "abcdef0123456789abcdef0123456789";

    @TempDir
    Path tmp;
    private PrivateBus bus;
    private Dconf dconf;

    @BeforeEach
    void startBus() throws Exception {
        String dconfPath = RealComponents.requireOnPath("dconf");
        String envPath = RealComponents.requireOnPath("env");
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> isolated = Map.of(
                "XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("config")).toString(),
                "XDG_RUNTIME_DIR", run.toString(),
                "HOME", Files.createDirectories(tmp.resolve("home")).toString());
        // dconf-service is started by the bus and inherits the bus's environment, not the client's:
        // without this it would write to the real user's ~/.config/dconf.
        List<String> prefix = new ArrayList<>(List.of(envPath));
        isolated.forEach((key, value) -> prefix.add(key + "=" + value));
        bus = PrivateBus.start(tmp.resolve("bus"), prefix);
        Map<String, String> environment = new HashMap<>(isolated);
        environment.put("DBUS_SESSION_BUS_ADDRESS", bus.address());
        dconf = new Dconf(dconfPath, environment);
    }

    @AfterEach
    void stopBus() {
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    void loadedGsconnectTreeYieldsExactlyThePairedDevice() throws Exception {
        String pem = TestResources.read("peer-a.pem");
        assertTrue(pem.contains("\n") && pem.endsWith("-----END CERTIFICATE-----\n"));
        String tree = String.join("\n",
                "[/]",
                "devices=" + GVariantText.formatStringArray(List.of(PAIRED, UNPAIRED)),
                "name=" + GVariantText.formatString("Alice's ☃ laptop"),
                "enabled=" + GVariantText.formatBoolean(true),
                "",
                "[device/" + PAIRED + "]",
                "certificate-pem=" + GVariantText.formatString(pem),
                "paired=" + GVariantText.formatBoolean(true),
                "name=" + GVariantText.formatString("Bob's \"phone\""),
                "type=" + GVariantText.formatString("phone"),
                "last-connection=" + GVariantText.formatString("lan://10.231.0.1:1716"),
                "incoming-capabilities=" + GVariantText.formatStringArray(List.of("kdeconnect.ping")),
                "",
                "[device/" + PAIRED + "/plugin/share]",
                "receive-directory=" + GVariantText.formatString("/home/alice/Downloads"),
                "",
                "[device/" + UNPAIRED + "]",
                "certificate-pem=" + GVariantText.formatString(TestResources.read("peer-b.pem")),
                "paired=" + GVariantText.formatBoolean(false),
                "name=" + GVariantText.formatString("Stranger"),
                "");
        dconf.load(GSC, tree);

        assertTrue(Files.isRegularFile(tmp.resolve("config/dconf/user")),
                "dconf-service wrote to the isolated config dir");
        GsconnectSettings settings = GsconnectDconf.read(dconf);
        assertEquals(List.of(new PairedDevice(PAIRED, "Bob's \"phone\"", "phone", pem,
                Optional.of("lan://10.231.0.1:1716"))), settings.pairedDevices());
        assertEquals(Optional.of("Alice's ☃ laptop"), settings.name());
        assertEquals(Optional.of(true), settings.enabled());
        assertEquals(List.of(PAIRED, UNPAIRED), settings.deviceIds());
        assertEquals(Optional.of("'/home/alice/Downloads'"),
                new GsconnectPairingStore(dconf).pluginValue(PAIRED, "share", "receive-directory"));
        assertEquals(List.of("kdeconnect.ping"), settings.deviceKeys(PAIRED).get("incoming-capabilities"));
        assertEquals("Stranger", settings.deviceKeys(UNPAIRED).get("name"));
    }

    /**
     * GLib and dconf accept maybe types anywhere; one such key, at the root, on a device or on one of
     * its plugins, once kept the daemon from starting and every new link from being trusted.
     */
    @Test
    void maybeTypedKeysAnywhereLeaveThePairingsReadable() throws Exception {
        String pem = TestResources.read("peer-a.pem");
        dconf.load(GSC, String.join("\n",
                "[/]",
                "devices=" + GVariantText.formatStringArray(List.of(PAIRED)),
                "",
                "[device/" + PAIRED + "]",
                "certificate-pem=" + GVariantText.formatString(pem),
                "paired=true",
                ""));
        dconf.write(GSC + "odd", "@ms nothing");
        dconf.write(GSC + "device/" + PAIRED + "/odd", "[just 1, nothing]");
        dconf.write(GSC + "device/" + PAIRED + "/plugin/share/odd", "@mmb just nothing");
        dconf.write(GSC + "device/" + PAIRED + "/entry", "{'a', <@ms 'x'>}");

        GsconnectPairingStore store = new GsconnectPairingStore(dconf);
        assertEquals(List.of(PAIRED), List.copyOf(store.load().keySet()));
        GsconnectSettings settings = store.settings();
        assertEquals(Optional.empty(), DconfDump.parse(dconf.dump(GSC)).get("/").get("odd"));
        assertEquals(List.of(Optional.of(1L), Optional.empty()), settings.deviceKeys(PAIRED).get("odd"));
        assertEquals(List.of("a", Optional.of("x")), settings.deviceKeys(PAIRED).get("entry"));
        assertEquals(Optional.of(Optional.empty()),
                DconfDump.parse(dconf.dump(GSC)).get("device/" + PAIRED + "/plugin/share").get("odd"));
    }

    @Test
    void writeReadAndReset() throws Exception {
        String nameKey = GSC + "device/" + UNPAIRED + "/name";
        String pairedKey = GSC + "device/" + UNPAIRED + "/paired";
        assertEquals(Optional.empty(), dconf.read(nameKey));
        assertEquals("", dconf.dump(GSC));

        String nasty = "it's \"quoted\" \\ back\nslash\ttab é😀 \u0001";
        dconf.write(nameKey, GVariantText.formatString(nasty));
        dconf.write(pairedKey, GVariantText.formatBoolean(true));
        Optional<String> read = dconf.read(nameKey);
        assertTrue(read.isPresent());
        assertEquals(nasty, GVariantText.parse(read.get()));
        assertEquals(Optional.of("true"), dconf.read(pairedKey));

        dconf.load(GSC + "device/" + UNPAIRED + "/", "[/]\ntype='tablet'\n");
        assertEquals(Map.of("name", nasty, "paired", true, "type", "tablet"),
                DconfDump.parse(dconf.dump(GSC)).get("device/" + UNPAIRED), "load keeps keys it does not mention");

        dconf.reset(pairedKey);
        assertEquals(Optional.empty(), dconf.read(pairedKey));
        assertEquals(Optional.of("'tablet'"), dconf.read(GSC + "device/" + UNPAIRED + "/type"));

        dconf.reset(GSC + "device/");
        assertEquals(Optional.empty(), dconf.read(nameKey));
        assertEquals("", dconf.dump(GSC));
    }

    @Test
    void failuresNameTheCommandTheKeyAndDconfsError() {
        String key = GSC + "name";
        DconfException write = assertThrows(DconfException.class, () -> dconf.write(key, "'unterminated"));
        assertTrue(write.getMessage().contains("dconf write " + key), write.getMessage());
        assertTrue(write.getMessage().contains("unterminated string constant"), write.getMessage());
        assertFalse(write.getMessage().contains("Usage:"), "dconf's usage text is left out: " + write.getMessage());

        DconfException load = assertThrows(DconfException.class, () -> dconf.load(GSC, "[/]\nname=nope nope\n"));
        assertTrue(load.getMessage().contains("dconf load " + GSC), load.getMessage());
        assertTrue(load.getMessage().contains("name"), load.getMessage());
    }

    @Test
    void dconfServiceStartedByTheBusDiesWithIt() throws Exception {
        dconf.write(GSC + "debug", "true");
        List<Long> services = dconfServicesOf(bus.address());
        assertFalse(services.isEmpty(), "writing activated a dconf-service on the private bus");

        bus.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (services.stream().anyMatch(DconfRealTest::running) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of(), services.stream().filter(DconfRealTest::running).toList(),
                "dconf-service processes still running after the bus stopped");
    }

    private static List<Long> dconfServicesOf(String busAddress) {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.info().command().map(c -> c.endsWith("/dconf-service")).orElse(false))
                    .filter(p -> busAddress.equals(starterAddress(p.pid())))
                    .map(ProcessHandle::pid)
                    .toList();
        }
    }

    /** The bus that activated a process, without the ",guid=..." the daemon appends. */
    private static String starterAddress(long pid) {
        try {
            String environ = Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.UTF_8);
            for (String entry : environ.split("\0")) {
                if (entry.startsWith("DBUS_STARTER_ADDRESS=")) {
                    return entry.substring("DBUS_STARTER_ADDRESS=".length()).split(",")[0];
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    // A zombie has exited; it only waits for a parent (here often a non-reaping PID 1) to collect it.
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
        }
    }
}
