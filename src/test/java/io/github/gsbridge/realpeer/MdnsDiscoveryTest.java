package io.github.gsbridge.realpeer;

import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.KdeConnectVersion;
import io.github.gsbridge.testsupport.NamespaceAvahi;
import io.github.gsbridge.testsupport.NamespacePair;
import io.github.gsbridge.testsupport.NoBroadcastNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.github.gsbridge.testsupport.GsbridgeProcess.event;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gsbridge and the real kdeconnectd 25.04 (which speaks mDNS itself) on a network that drops UDP
 * broadcast but passes multicast: they can only find each other through mDNS, gsbridge through
 * a real avahi-daemon in its namespace, as on a desktop. Both orders: whoever starts second is
 * found by the first.
 */
class MdnsDiscoveryTest {
    /** Each one-off identity toward kdeconnectd 25.04 can be lost to its handshake race; retries come after 5 s. */
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String KDC_NAME = "kdc25";
    private static final String GSBRIDGE_NAME = "gsbridge-mdns";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private final List<AutoCloseable> running = new ArrayList<>();
    private NamespacePair ns;
    private NamespaceAvahi avahi;

    @BeforeEach
    void setUp() throws Exception {
        KdeConnectVersion.V25_04.require();
        ns = NamespacePair.create();
        running.add(ns);
        NoBroadcastNetwork.apply(ns);
        avahi = NamespaceAvahi.start(tmp.resolve("avahi"), ns.nsB(), ns.vethB(), "gsbridge-host");
        running.add(avahi);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    /** kdeconnectd with a fresh identity and nothing trusted. */
    private KdeConnectPeer startKdeconnectd() {
        KdeConnectPeer kdc = KdeConnectPeer.builder(tmp.resolve("kdc"), ns, ns.nsA()).version(KdeConnectVersion.V25_04)
                .name(KDC_NAME).start();
        running.add(running.indexOf(avahi) + 1, kdc);
        return kdc;
    }

    private GsbridgeProcess startGsbridge() throws Exception {
        Path home = tmp.resolve("gsbridge").toAbsolutePath();
        GsbridgeProcess gsbridge = GsbridgeProcess.start(home, ns.execPrefix(ns.nsB()), Map.of(
                "HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve(".config").toString(),
                "DBUS_SYSTEM_BUS_ADDRESS", avahi.systemBusAddress()),
                List.of("--identity", "own", "--name", GSBRIDGE_NAME));
        running.add(gsbridge);
        gsbridge.awaitState("active", WAIT);
        return gsbridge;
    }

    private void awaitLinked(GsbridgeProcess gsbridge, KdeConnectPeer kdc) throws Exception {
        gsbridge.awaitEvent(event("Connected", kdc.deviceId()), WAIT);
        kdc.log().waitForLine(KdeConnectPeer.logLinkEstablished(GSBRIDGE_NAME), WAIT);
        assertTrue(NoBroadcastNetwork.dropped(ns, ns.nsA()) > 0,
                "gsbridge's start-up broadcast should have been dropped on its way to kdeconnectd");
    }

    @Test
    void gsbridgeFindsARunningKdeconnectdThroughAvahi() throws Exception {
        KdeConnectPeer kdc = startKdeconnectd();
        GsbridgeProcess gsbridge = startGsbridge();
        awaitLinked(gsbridge, kdc);
        // kdeconnectd queries only at its own start, and ignores unsolicited announcements: our browsing made the link.
        assertTrue(gsbridge.log().contains("mDNS: found " + KDC_NAME + " (" + kdc.deviceId() + ")"), gsbridge.logTail(60));
    }

    @Test
    void kdeconnectdFindsGsbridgePublishedThroughAvahi() throws Exception {
        GsbridgeProcess gsbridge = startGsbridge();
        gsbridge.awaitState("active", WAIT);
        // Published once Avahi settled; kdeconnectd's start-up query must find it.
        awaitLog(gsbridge, "mDNS: publishing " + gsbridge.deviceId());
        KdeConnectPeer kdc = startKdeconnectd();
        kdc.log().waitForLine(Pattern.compile("Discovered \"" + gsbridge.deviceId() + "\" at QHostAddress\\(\""
                + Pattern.quote(ns.addressB()) + "\"\\)"), WAIT);
        awaitLinked(gsbridge, kdc);
    }

    @Test
    void avahiGoingAndComingBackIsFollowed() throws Exception {
        GsbridgeProcess gsbridge = startGsbridge();
        awaitLog(gsbridge, "mDNS: publishing " + gsbridge.deviceId());
        int published = count(gsbridge, "mDNS: publishing " + gsbridge.deviceId());
        avahi.stopDaemon();
        awaitLog(gsbridge, "mDNS: Avahi stopped");
        avahi.startDaemon();
        awaitLog(gsbridge, "mDNS through avahi", 2);
        awaitLog(gsbridge, "mDNS: publishing " + gsbridge.deviceId(), published + 1);
        KdeConnectPeer kdc = startKdeconnectd();
        kdc.log().waitForLine(Pattern.compile("Discovered \"" + gsbridge.deviceId() + "\" at"), WAIT);
        awaitLinked(gsbridge, kdc);
    }

    private static int count(GsbridgeProcess gsbridge, String text) throws Exception {
        return gsbridge.log().split(Pattern.quote(text), -1).length - 1;
    }

    private static void awaitLog(GsbridgeProcess gsbridge, String text) throws Exception {
        awaitLog(gsbridge, text, 1);
    }

    /** Waits until {@code text} is in gsbridge's log {@code times} times. */
    private static void awaitLog(GsbridgeProcess gsbridge, String text, int times) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (count(gsbridge, text) < times) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + text + "\" in gsbridge's log\n" + gsbridge.logTail(60));
            }
            Thread.sleep(100);
        }
    }
}
