package io.github.gsbridge.cli;

import io.github.gsbridge.testsupport.GsbridgeDaemon;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.GsconnectService;
import io.github.gsbridge.testsupport.NamespacePair;
import io.github.gsbridge.testsupport.Stage;
import io.github.gsbridge.testsupport.TwoHosts;
import io.github.gsbridge.tls.LocalCertificate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gsbridge takeover} and {@code release} with the real GSConnect 54 and the real
 * {@code gsbridge daemon} on one session bus. Headless there is no GNOME Shell to start or stop
 * GSConnect when its {@code enabled} key changes, so the test does what the extension would.
 */
class TakeoverCommandTest {
    private static final String ENABLED = "/org/gnome/shell/extensions/gsconnect/enabled";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final Stage<TwoHosts> stage = Stage.eachTest(s -> {
        GsconnectService.requireInstalled();
        return TwoHosts.open(s, dir -> GsconnectHome.create(dir, LocalCertificate.newDeviceId(), "takeover-test"));
    });

    private GsconnectHome home;
    private GsconnectService gsconnect;
    private GsbridgeDaemon daemon;

    @BeforeEach
    void setUp() throws Exception {
        NamespacePair ns = stage.get().ns();
        home = stage.get().gsconnect();
        gsconnect = stage.track(GsconnectService.start(stage.dir().resolve("gsconnect-service"), ns, ns.nsB(), home));
        daemon = stage.track(GsbridgeDaemon.start(stage.dir().resolve("gsbridge"), ns.execPrefix(ns.nsB()),
                home.environment(), List.of("--identity", "gsconnect")));
        daemon.awaitLog(GsbridgeDaemon.ON_THE_BUS);
        daemon.awaitLog("GSConnect is running");
    }

    private record Run(int status, String out) { }

    private Run gsbridge(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(home.environment());
        env.put("PATH", "/usr/bin:/bin");
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int status = Main.run(List.of(args), new Console(print, print, env, false, stage.dir()));
        return new Run(status, out.toString(StandardCharsets.UTF_8));
    }

    /** What the GSConnect Shell extension does: follow the enabled key. */
    private void awaitEnabled(boolean value) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!home.dconf().read(ENABLED).equals(Optional.of(Boolean.toString(value)))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("enabled never became " + value);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void takeoverSwitchesGsconnectOffAndReleaseSwitchesItBackOn() throws Exception {
        home.dconf().write(ENABLED, "true");
        CompletableFuture<Run> takeover = CompletableFuture.supplyAsync(() -> gsbridge("takeover"));
        awaitEnabled(false);
        gsconnect.stopService();
        Run taken = takeover.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0, taken.status(), taken.out());
        assertTrue(taken.out().contains("GSConnect: set " + ENABLED + " to false."), taken.out());
        assertTrue(taken.out().contains("gsbridge holds the KDE Connect ports (listening on TCP 1716"), taken.out());
        assertTrue(gsbridge("status").out().contains("state: active"));

        Run released = gsbridge("release");
        assertEquals(0, released.status(), released.out());
        assertTrue(released.out().contains("gsbridge released the KDE Connect ports."), released.out());
        assertTrue(released.out().contains("GSConnect: set " + ENABLED + " to true, as before takeover."), released.out());
        String status = gsbridge("status").out();
        assertTrue(status.contains("state: waiting (released on request"), status);
        // The extension starts GSConnect, which can bind 1716 since gsbridge let go.
        awaitEnabled(true);
        gsconnect.startService();
        assertTrue(gsbridge("status").out().contains("GSConnect is running"));
    }

    @Test
    void releaseLeavesGsconnectOffForAUserWhoHadItOff() throws Exception {
        home.dconf().write(ENABLED, "false");
        CompletableFuture<Run> takeover = CompletableFuture.supplyAsync(() -> gsbridge("takeover"));
        gsconnect.stopService();
        Run taken = takeover.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0, taken.status(), taken.out());
        // A second takeover must not note "off" as what the user had.
        assertEquals(0, gsbridge("takeover").status());

        Run released = gsbridge("release");
        assertEquals(0, released.status(), released.out());
        assertTrue(released.out().contains("GSConnect: set " + ENABLED + " to false, as before takeover."),
                released.out());
        assertEquals(Optional.of("false"), home.dconf().read(ENABLED));

        Run again = gsbridge("release");
        assertTrue(again.out().contains("GSConnect: left as it is"), again.out());
        assertEquals(Optional.of("false"), home.dconf().read(ENABLED));
    }

    @Test
    void aKeyNeverSetIsResetAgain() throws Exception {
        home.dconf().reset(ENABLED);
        CompletableFuture<Run> takeover = CompletableFuture.supplyAsync(() -> gsbridge("takeover"));
        awaitEnabled(false);
        gsconnect.stopService();
        assertEquals(0, takeover.get(WAIT.toSeconds(), TimeUnit.SECONDS).status());
        Run released = gsbridge("release");
        assertTrue(released.out().contains("GSConnect: reset " + ENABLED), released.out());
        assertEquals(Optional.empty(), home.dconf().read(ENABLED));
    }
}
