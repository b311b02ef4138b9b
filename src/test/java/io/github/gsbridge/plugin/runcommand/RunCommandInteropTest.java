package io.github.gsbridge.plugin.runcommand;

import io.github.gsbridge.testsupport.GsbridgeDaemon;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.KdeConnectSetup;
import io.github.gsbridge.testsupport.KdeConnectVersion;
import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run commands both ways between the real {@code gsbridge daemon} (GSConnect's identity and
 * settings, namespace B, its session bus the GSConnect home's) and the real kdeconnectd 22.12 and
 * 25.04 (namespace A): kdeconnectd's remotecommands plugin runs the commands GSConnect's dconf
 * lists for it, and {@code gsbridge run} runs those of kdeconnectd's runcommand plugin. The
 * commands leave files behind; both sides share the file system.
 */
@ParameterizedClass
@EnumSource(KdeConnectVersion.class)
class RunCommandInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String KDC_NAME = KdeConnectSetup.KDC_NAME;

    @Parameter
    KdeConnectVersion version;

    @RegisterExtension
    final Stage<KdeConnectSetup> stage = KdeConnectSetup.eachTest(() -> version);

    private Path tmp;
    private KdeConnectSetup setup;
    private GsconnectHome gsconnect;
    private KdeConnectPeer kdc;
    private GsbridgeDaemon gsbridge;

    @BeforeEach
    void setUp() throws Exception {
        setup = stage.get();
        tmp = setup.dir();
        gsconnect = setup.gsconnect();
        kdc = setup.track(setup.prePaired().build());
    }

    private void start() throws Exception {
        kdc.start();
        gsbridge = setup.track(GsbridgeDaemon.start(tmp.resolve("gsbridge"), setup.ns().execPrefix(setup.ns().nsB()),
                gsconnect.environment(), List.of("--identity", "gsconnect")));
        gsbridge.awaitLog(GsbridgeDaemon.ON_THE_BUS);
        gsbridge.awaitLog(kdc.deviceId() + " (" + KDC_NAME + "): connected from");
        kdc.awaitReachable(gsconnect.deviceId(), true, WAIT);
    }

    private ManagedProcess.Result gsbridgeCli(String... args) {
        return GsbridgeCli.run(gsconnect.environment().get("DBUS_SESSION_BUS_ADDRESS"), args);
    }

    private String remoteCommandsPath() {
        return "/modules/kdeconnect/devices/" + gsconnect.deviceId() + "/remotecommands";
    }

    /** kdeconnectd's copy of our list (its remotecommands plugin's {@code commands}, JSON as bytes). */
    private String kdeconnectdsCopyOfOurs() {
        ManagedProcess.Result r = kdc.gdbusCall(KdeConnectPeer.BUS_NAME, remoteCommandsPath(),
                "org.freedesktop.DBus.Properties.Get", "org.kde.kdeconnect.device.remotecommands", "commands");
        r.assertOk("Get commands");
        return bytes(r.stdout());
    }

    /** gdbus prints {@code ay} as {@code b'..'} or as {@code [byte 0x7b, ..]}. */
    private static String bytes(String printed) {
        Matcher quoted = Pattern.compile("b'(.*)'").matcher(printed);
        if (quoted.find()) {
            return quoted.group(1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Matcher hex = Pattern.compile("0x([0-9a-f]{2})").matcher(printed);
        while (hex.find()) {
            out.write(Integer.parseInt(hex.group(1), 16));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private String awaitCopy(Predicate<String> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String copy;
        while (!done.test(copy = kdeconnectdsCopyOfOurs())) {
            assertTrue(System.nanoTime() < deadline, "kdeconnectd's copy of our commands: " + copy);
            Thread.sleep(100);
        }
        return copy;
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(file)) {
            assertTrue(System.nanoTime() < deadline, file + " was not made");
            Thread.sleep(50);
        }
    }

    private void trigger(String key) {
        kdc.gdbusCall(KdeConnectPeer.BUS_NAME, remoteCommandsPath(),
                "org.kde.kdeconnect.device.remotecommands.triggerCommand", key).assertOk("triggerCommand " + key);
    }

    @Test
    void kdeconnectdRunsTheCommandsGsconnectsSettingsListAndThoseAddedWithTheCli() throws Exception {
        Path listed = tmp.resolve("listed in dconf");
        gsconnect.dconf().write(GsconnectCommandStore.key(kdc.deviceId()), GsconnectCommandStore.format(
                Map.of("from-gsconnect", new Command("Touch", "touch '" + listed + "'"))));
        start();

        awaitCopy(copy -> copy.contains("from-gsconnect"));
        trigger("from-gsconnect");
        awaitFile(listed);
        gsbridge.awaitLog("\"Touch\" (from-gsconnect) ended with exit status 0");

        // a key that is in no list runs nothing
        trigger("rm -rf /");
        gsbridge.awaitLog("refused to run command 'rm -rf /'");

        Path added = tmp.resolve("added with the cli");
        ManagedProcess.Result add = gsbridgeCli("commands", "-d", KDC_NAME, "--add", "Add", "touch '" + added + "'");
        add.assertOk("gsbridge commands --add");
        Matcher key = Pattern.compile("Added Add \\(([0-9a-f-]{36})\\)").matcher(add.stdout());
        assertTrue(key.find(), add.stdout());
        // kept where GSConnect keeps it, and sent to kdeconnectd at once
        assertTrue(gsconnect.dconf().read(GsconnectCommandStore.key(kdc.deviceId())).orElseThrow()
                .contains(key.group(1)));
        awaitCopy(copy -> copy.contains(key.group(1)));
        trigger(key.group(1));
        awaitFile(added);
        String listing = gsbridgeCli("commands", "-d", KDC_NAME).assertOk("gsbridge commands").stdout();
        assertTrue(listing.contains("from-gsconnect  Touch  (touch '" + listed + "')"), listing);
        assertTrue(listing.contains(key.group(1) + "  Add  (touch '" + added + "')"), listing);

        gsbridgeCli("commands", "-d", KDC_NAME, "--remove", key.group(1)).assertOk("gsbridge commands --remove");
        awaitCopy(copy -> !copy.contains(key.group(1)) && copy.contains("from-gsconnect"));
        ManagedProcess.Result again = gsbridgeCli("commands", "-d", KDC_NAME, "--remove", key.group(1));
        assertEquals(1, again.exitCode(), again.output());
        assertTrue(again.stderr().contains("Cannot remove a command of " + KDC_NAME + ": it has no command with the key "
                + key.group(1)), again.output());
    }

    @Test
    void gsbridgeRunsKdeconnectdsCommandsByNameOrKey() throws Exception {
        Path byName = tmp.resolve("run by name");
        Path byKey = tmp.resolve("run by key");
        String list = CommandLists.toJson(Map.of("k-name", new Command("Touch there", "touch '" + byName + "'"),
                "k-key", new Command("Other", "touch '" + byKey + "'"))).toString();
        // as kdeconnectd's settings write it: a QByteArray in a QSettings ini value
        String value = "@ByteArray(" + list + ")";
        Path config = kdc.configDir().resolve(gsconnect.deviceId()).resolve("kdeconnect_runcommand/config");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "[General]\ncommands=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"\n");
        start();

        long deadline = System.nanoTime() + WAIT.toNanos();
        String listing;
        while (!(listing = gsbridgeCli("run", "-d", KDC_NAME, "--list").assertOk("gsbridge run --list").stdout())
                .contains("k-name  Touch there  (touch '" + byName + "')")) {
            assertTrue(System.nanoTime() < deadline, listing);
            Thread.sleep(200);
        }
        assertTrue(listing.contains("k-key  Other  (touch '" + byKey + "')"), listing);

        ManagedProcess.Result run = gsbridgeCli("run", "-d", KDC_NAME, "Touch there");
        run.assertOk("gsbridge run NAME");
        assertEquals("Asked " + KDC_NAME + " to run Touch there.", run.stdout().strip());
        awaitFile(byName);
        gsbridgeCli("run", "-d", KDC_NAME, "k-key").assertOk("gsbridge run KEY");
        awaitFile(byKey);

        ManagedProcess.Result unknown = gsbridgeCli("run", "-d", KDC_NAME, "nothing of the kind");
        assertEquals(1, unknown.exitCode(), unknown.output());
        assertTrue(unknown.stderr().contains(KDC_NAME + " has no command nothing of the kind"), unknown.output());
        assertFalse(unknown.stdout().contains("Asked"), unknown.output());
    }
}
