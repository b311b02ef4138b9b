package io.github.gsbridge.realpeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gsbridge.testsupport.BusMonitor;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.NamespacePair;
import io.github.gsbridge.testsupport.RealComponents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the real-peer test infrastructure works, with no gsbridge code involved: two real
 * {@code kdeconnectd} 22.12 daemons, each headless in its own network namespace on its own private
 * session bus, joined only by a veth pair.
 *
 * <ol>
 *   <li><b>Discovery</b>: started untrusted, each finds the other by UDP broadcast over the veth and
 *       sets up a TLS link ({@code It is a new device "..."} in the log); each lists the other as
 *       reachable, on D-Bus and in {@code kdeconnect-cli -l}.
 *   <li><b>Pre-trust with restarts</b>: both stopped, each gets the other's certificate in
 *       {@code trusted_devices} ({@link KdeConnectPeer#trust}), both started again with the same keys:
 *       each now sees the other as paired and reachable, without any pairing exchange.
 *   <li><b>Packets flow</b>: {@code kdeconnect-cli --ping-msg hello} on A makes B call
 *       {@code org.freedesktop.Notifications.Notify(summary=A's name, body="hello")} on its bus
 *       (seen with {@link BusMonitor}; kdeconnectd 22.12 logs nothing when it receives a ping);
 *       {@code --share FILE} lands in B's download dir; {@code --share-text} in B's working dir.
 * </ol>
 *
 * Requires root and the Debian kdeconnect package; otherwise it is skipped (or fails under CI=true).
 */
class KdeConnectPeerSmokeTest {
    private static final Duration DISCOVERY = Duration.ofSeconds(10);

    /** Kept when the test fails: the daemons' logs are in a/ and b/. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @BeforeAll
    static void requirements() {
        RealComponents.requireRoot();
        RealComponents.requireExecutable(KdeConnectPeer.KDECONNECTD);
        RealComponents.requireExecutable(KdeConnectPeer.KDECONNECT_CLI);
        for (String program : List.of("ip", "dbus-daemon", "dbus-monitor", "gdbus")) {
            RealComponents.requireOnPath(program);
        }
    }

    @Test
    @Timeout(90)
    void twoRealDaemonsDiscoverTrustAndPingEachOther() throws Exception {
        try (NamespacePair net = NamespacePair.create();
                KdeConnectPeer a = KdeConnectPeer.builder(dir.resolve("a"), net, net.nsA()).name("SmokeA").start();
                KdeConnectPeer b = KdeConnectPeer.builder(dir.resolve("b"), net, net.nsB()).name("SmokeB").start()) {
            String idA = a.deviceId();
            String idB = b.deviceId();
            assertTrue(a.log().findLine(0, KdeConnectPeer.LOG_LAN_STARTED) != null, "LanLinkProvider started");
            assertEquals(idA, myIdFromLog(a), "device id = certificate CN = 'My id' in the log");
            assertEquals(idA, a.selfId());

            // 1. discovery over the veth, untrusted
            a.awaitReachable(idB, false, DISCOVERY);
            b.awaitReachable(idA, false, DISCOVERY);
            a.log().waitForLine(KdeConnectPeer.logLinkEstablished("SmokeB"), DISCOVERY);
            b.log().waitForLine(KdeConnectPeer.logLinkEstablished("SmokeA"), DISCOVERY);
            ManagedProcess.Result list = a.cli("-l").assertOk("kdeconnect-cli -l");
            assertTrue(list.stdout().contains("SmokeB: " + idB + " (reachable)"), list.toString());

            // 2. pre-trust each other while stopped, restart with the same keys
            a.stop();
            b.stop();
            a.trust(idB, "SmokeB", b.certificatePem(), "desktop");
            b.trust(idA, "SmokeA", a.certificatePem(), "desktop");
            a.start();
            b.start();
            assertEquals(idA, a.deviceId(), "same id after restart");
            a.awaitReachable(idB, true, DISCOVERY);
            b.awaitReachable(idA, true, DISCOVERY);
            ManagedProcess.Result available = a.cli("-a", "--id-name-only").assertOk("kdeconnect-cli -a");
            assertTrue(available.stdout().contains(idB + " SmokeB"), available.toString());

            // 3. a ping from A arrives at B as a desktop notification
            try (BusMonitor monitor = BusMonitor.notifications(b)) {
                a.cli("--ping-msg", "hello", "-d", idB).assertOk("kdeconnect-cli --ping-msg");
                BusMonitor.Notification n = monitor.awaitNotification(x -> "hello".equals(x.body()), DISCOVERY);
                assertEquals("SmokeA", n.summary());
                assertEquals("KDE Connect", n.appName());
            }

            // ... a file share lands in B's download dir, a text share in its working dir
            Path file = dir.resolve("shared-file.txt");
            Files.writeString(file, "payload over the veth\n");
            a.cli("--share", file.toString(), "-d", idB).assertOk("kdeconnect-cli --share");
            Path received = b.downloadDir().resolve("shared-file.txt");
            awaitFile(received, "payload over the veth\n");

            a.cli("--share-text", "some shared text", "-d", idB).assertOk("kdeconnect-cli --share-text");
            awaitTextShare(b.workingDir(), "some shared text");
        }
    }

    /**
     * The interactive pairing flow through {@code kdeconnect-cli --pair} on both sides: B logs
     * {@code kdeconnect.core: Pair request}, and after B's {@code --pair} (which accepts) both are
     * paired. Kept separate so the main test does not depend on it.
     */
    @Test
    @Timeout(60)
    void pairingThroughTheCli() {
        try (NamespacePair net = NamespacePair.create();
                KdeConnectPeer a = KdeConnectPeer.builder(dir.resolve("a"), net, net.nsA()).name("PairA").start();
                KdeConnectPeer b = KdeConnectPeer.builder(dir.resolve("b"), net, net.nsB()).name("PairB").start()) {
            String idA = a.deviceId();
            String idB = b.deviceId();
            a.awaitReachable(idB, false, DISCOVERY);
            b.awaitReachable(idA, false, DISCOVERY);

            int mark = b.log().mark();
            a.cli("--pair", "-d", idB).assertOk("A: kdeconnect-cli --pair");
            b.log().waitForLine(mark, KdeConnectPeer.LOG_PAIR_REQUEST, DISCOVERY);

            b.awaitReachable(idA, false, DISCOVERY);
            b.cli("--pair", "-d", idA).assertOk("B: kdeconnect-cli --pair (accepts)");
            a.awaitReachable(idB, true, DISCOVERY);
            b.awaitReachable(idA, true, DISCOVERY);
        }
    }

    /** A preinstalled openssl-made certificate is used as is: its CN becomes the device id. */
    @Test
    @Timeout(30)
    void preinstalledCertificateSetsTheDeviceId() {
        String id = "0123456789abcdef0123456789abcdef";
        KdeConnectPeer.Identity identity = KdeConnectPeer.generateIdentity(dir.resolve("identity"), id);
        try (NamespacePair net = NamespacePair.create();
                KdeConnectPeer a = KdeConnectPeer.builder(dir.resolve("a"), net, net.nsA()).name("Preset")
                        .certificate(identity.certificate(), identity.privateKey()).start()) {
            assertEquals(id, a.deviceId());
            assertEquals(id, a.selfId(), "the daemon's own idea of its id");
            assertEquals(null, a.log().findLine(0, Pattern.compile("Generating private key")), "key was reused");
            assertEquals(null, a.log().findLine(0, Pattern.compile("too open permissions")));
        }
    }

    private static String myIdFromLog(KdeConnectPeer peer) {
        var m = KdeConnectPeer.LOG_MY_ID.matcher(peer.log().waitForLine(KdeConnectPeer.LOG_MY_ID, Duration.ZERO));
        assertTrue(m.find());
        return m.group(1);
    }

    private static void awaitFile(Path file, String content) throws InterruptedException {
        long deadline = System.nanoTime() + DISCOVERY.toNanos();
        while (true) {
            try {
                if (Files.exists(file) && Files.readString(file).equals(content)) {
                    return;
                }
            } catch (IOException e) {
                // still being written
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not received: " + file + "; dir has " + listing(file.getParent()));
            }
            Thread.sleep(100);
        }
    }

    private static void awaitTextShare(Path workingDir, String text) throws InterruptedException {
        Pattern name = Pattern.compile("kdeconnect-.*\\.txt");
        long deadline = System.nanoTime() + DISCOVERY.toNanos();
        while (true) {
            try (Stream<Path> files = Files.list(workingDir)) {
                boolean found = files.filter(p -> name.matcher(p.getFileName().toString()).matches())
                        .anyMatch(p -> {
                            try {
                                return Files.readString(p).equals(text);
                            } catch (IOException e) {
                                return false;
                            }
                        });
                if (found) {
                    return;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no kdeconnect-*.txt with the text in " + listing(workingDir));
            }
            Thread.sleep(100);
        }
    }

    private static String listing(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList().toString();
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
