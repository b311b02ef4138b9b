package io.github.gsbridge.hostile;

import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.testsupport.Heap;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.Stage;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.PacketCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of UDP announcements a second, each from a new fake device id, all from 127.0.0.2 and
 * all naming a TCP port this test listens on. Connection attempts stay at the per-address rate,
 * threads and heap stay flat, and a real peer announcing from 127.0.0.1 meanwhile still links.
 * And announcements as spoofed ones come, each from another address, naming a port that never
 * answers: the paired phone still gets through.
 */
class DiscoveryFloodTest {
    private static final int DATAGRAMS = 50_000;
    private static final int PER_SECOND = 10_000;
    /** Links on loopback take milliseconds; this only tells "got through" from "kept out". */
    private static final Duration PAIRED_LINK_WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final Stage<Void> stage = Stage.eachTest();

    private HostileDaemon daemon;
    private Bait bait;
    private LocalCertificate paired;

    @BeforeEach
    void setUp() throws Exception {
        paired = LocalCertificate.generate(LocalCertificate.newDeviceId());
        daemon = stage.track(HostileDaemon.start(stage.dir(), List.of(paired)));
        bait = stage.track(new Bait(InetAddress.getByName("127.0.0.2"), 0));
    }

    /**
     * Ten announcements a second from ever other addresses (as spoofed ones come), each naming a
     * port that never answers: the daemon connects out to each. Meanwhile the paired phone
     * connects twenty times, and announces itself once, and gets through every time.
     */
    @Test
    void spoofedAnnouncementsDoNotKeepAPairedDeviceOut() throws Exception {
        try (Tarpit tarpit = new Tarpit();
             SpoofedFlood flood = new SpoofedFlood(daemon.node.udpPort(), tarpit.port())) {
            RawPeer phone = daemon.peer(paired);
            Link link = phone.awaitLink(HostileDaemon.WAIT);
            // Long enough for the daemon's connections to the tarpit to pile up.
            Thread.sleep(3000);
            for (int attempt = 0; attempt <= 20; attempt++) {
                daemon.events().clear();
                link.close();
                phone.awaitClosed(link, HostileDaemon.WAIT);
                // Once the daemon saw the link go, the phone's last connection attempt has ended too.
                daemon.events().await(DeviceEvent.Disconnected.class, e -> e.deviceId().equals(paired.deviceId()),
                        HostileDaemon.WAIT);
                phone.forgetHistory();
                if (attempt < 20) {
                    phone.connectTo(LoopbackNode.LOOPBACK, daemon.node.announcement());
                } else {
                    // The other way round: the daemon connects to the phone that announced itself.
                    phone.announceTo(InetAddress.getLoopbackAddress());
                }
                link = phone.awaitLink(PAIRED_LINK_WAIT);
            }
            assertTrue(flood.sent() >= 30, "the flood ran: " + flood.sent() + " announcements");
        }
        daemon.assertStillServing();
    }

    @Test
    void aFloodOfFakeIdentitiesIsRateLimitedAndBounded() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int threadsBefore = threads.getThreadCount();
        long heapBefore = Heap.usedAfterGc();
        int peakThreads = threadsBefore;
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), daemon.node.udpPort());

        String legitId = LocalCertificate.newDeviceId();
        long started = System.nanoTime();
        try (DatagramSocket flood = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
             RawPeer legit = new RawPeer(LocalCertificate.generate(legitId), legitId, 8,
                     LoopbackNode.lanConfig(Ports.freeRange(4), daemon.node.udpPort()))) {
            for (int sent = 0; sent < DATAGRAMS; sent++) {
                Identity fake = Identity.of(LocalCertificate.newDeviceId(), "flood", "phone", 8, Set.of(), Set.of())
                        .withTcpPort(bait.port());
                byte[] data = PacketCodec.encode(fake.toPacket());
                flood.send(new DatagramPacket(data, data.length, target));
                if (sent % (PER_SECOND / 10) == 0) {
                    peakThreads = Math.max(peakThreads, threads.getThreadCount());
                    // Paced in tenths of a second, so the flood lasts long enough to see the rate limit work.
                    long due = started + TimeUnit.MILLISECONDS.toNanos(sent * 1000L / PER_SECOND);
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
                }
                if (sent == DATAGRAMS / 2) {
                    legit.announceTo(InetAddress.getLoopbackAddress());
                }
            }
            legit.awaitLink(HostileDaemon.WAIT);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long heapAfter = Heap.usedAfterGc();
        System.out.printf("flood: %d datagrams in %.1f s, %d connection attempts, threads %d -> peak %d, "
                        + "heap %s -> %s%n", DATAGRAMS, seconds, bait.connections(), threadsBefore, peakThreads,
                Heap.mib(heapBefore), Heap.mib(heapAfter));

        assertTrue(bait.connections() >= 1, "the flood reached discovery");
        assertTrue(bait.connections() <= seconds + 2, bait.connections() + " connection attempts in " + seconds + " s");
        assertTrue(peakThreads - threadsBefore <= 16, "threads grew from " + threadsBefore + " to " + peakThreads);
        assertTrue(heapAfter - heapBefore < 16L * 1024 * 1024, "heap grew from " + Heap.mib(heapBefore) + " to "
                + Heap.mib(heapAfter));
        daemon.assertStillServing();
    }
}
