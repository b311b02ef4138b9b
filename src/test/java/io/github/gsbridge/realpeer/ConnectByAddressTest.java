package io.github.gsbridge.realpeer;

import io.github.gsbridge.cli.Main;
import io.github.gsbridge.testsupport.GsbridgeDaemon;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.NamespacePair;
import io.github.gsbridge.testsupport.NoBroadcastNetwork;
import io.github.gsbridge.testsupport.PrivateBus;
import io.github.gsbridge.testsupport.RealComponents;
import io.github.gsbridge.testsupport.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "gsbridge connect" against the real kdeconnectd 22.12, which has no mDNS, on a network that
 * drops UDP broadcast: only the address the user gives brings them together. The address is
 * remembered: gsbridge dials it again after a restart, and again at once when the network changes.
 */
class ConnectByAddressTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NAME = "gsbridge-connect";
    private static final Pattern UP = Pattern.compile("gsbridge (\\S+) \"" + NAME + "\" \\(own identity, protocol \\d\\) is up");

    @RegisterExtension
    final Stage<Void> stage = Stage.eachTest();

    private Path tmp;
    private NamespacePair ns;
    private PrivateBus session;
    private KdeConnectPeer kdc;

    @BeforeEach
    void setUp() throws Exception {
        RealComponents.requireRoot();
        RealComponents.requireExecutable(KdeConnectPeer.KDECONNECTD);
        tmp = stage.dir();
        ns = stage.track(NamespacePair.create());
        NoBroadcastNetwork.apply(ns);
        session = stage.track(PrivateBus.start(tmp.resolve("session")));
        kdc = stage.track(KdeConnectPeer.builder(tmp.resolve("kdc"), ns, ns.nsA()).name("kdc22").start());
    }

    /** gsbridge in namespace B with the D-Bus API on the session bus; returns it once it holds the ports. */
    private GsbridgeDaemon startGsbridge(String run) throws Exception {
        Path home = tmp.resolve("home").toAbsolutePath();
        GsbridgeDaemon gsbridge = stage.track(GsbridgeDaemon.start(tmp.resolve(run), ns.execPrefix(ns.nsB()), Map.of(
                "HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve(".config").toString(),
                "DBUS_SESSION_BUS_ADDRESS", session.address()), List.of("--identity", "own", "--name", NAME)));
        gsbridge.awaitLog(GsbridgeDaemon.ON_THE_BUS);
        return gsbridge;
    }

    private static String idOf(GsbridgeDaemon gsbridge) throws Exception {
        Matcher up = UP.matcher(gsbridge.awaitLog("is up"));
        assertTrue(up.find(), gsbridge.log());
        return up.group(1);
    }

    /** The gsbridge command as a user runs it, in a JVM of its own, talking to the daemon over the session bus. */
    private ManagedProcess.Result cli(String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return ManagedProcess.run(command, Map.of("PATH", "/usr/bin:/bin", "DBUS_SESSION_BUS_ADDRESS",
                session.address()), Duration.ofSeconds(30));
    }

    private void awaitUnreachable(String id) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (kdc.devices(true, false).contains(id)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("kdeconnectd still sees " + id + " reachable");
            }
            ManagedProcess.pause(200);
        }
    }

    @Test
    void connectLinksARememberedAddressAgainAfterARestartAndANetworkChange() throws Exception {
        GsbridgeDaemon gsbridge = startGsbridge("run-1");
        String id = idOf(gsbridge);

        ManagedProcess.Result connect = cli("connect", kdc.address());
        assertEquals(0, connect.exitCode(), connect.toString());
        kdc.awaitReachable(id, false, WAIT);
        assertTrue(NoBroadcastNetwork.dropped(ns, ns.nsA()) > 0 && NoBroadcastNetwork.dropped(ns, ns.nsB()) > 0,
                "both sides' broadcasts should have been dropped");
        assertEquals(kdc.address() + "\n", cli("connect", "--list").stdout());

        // Restarted, gsbridge dials the remembered address by itself.
        gsbridge.stop();
        awaitUnreachable(id);
        gsbridge = startGsbridge("run-2");
        assertEquals(id, idOf(gsbridge));
        kdc.awaitReachable(id, false, WAIT);

        // kdeconnectd restarts: the link is gone and, once linked, gsbridge looks again only every
        // 5 minutes; a new address in gsbridge's namespace makes it dial at once.
        kdc.stop();
        kdc.start();
        awaitUnreachable(id);
        String base = ns.addressB().substring(0, ns.addressB().lastIndexOf('.'));
        ns.exec(ns.nsB(), WAIT, "ip", "addr", "add", base + ".3/24", "dev", ns.vethB()).assertOk("ip addr add");
        kdc.awaitReachable(id, false, WAIT);
        String log = gsbridge.log();
        assertTrue(log.contains("the network changed: announcing us again")
                && log.contains("sending our identity to " + kdc.address() + " (" + kdc.address() + ":1716; network change)"),
                log);
    }
}
