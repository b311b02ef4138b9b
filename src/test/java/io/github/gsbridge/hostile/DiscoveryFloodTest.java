package io.github.gsbridge.hostile;

import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.testsupport.Heap;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.PacketCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of UDP announcements a second, each from a new fake device id, all from 127.0.0.2 and
 * all naming a TCP port this test listens on. Connection attempts stay at the per-address rate,
 * threads and heap stay flat, and a real peer announcing from 127.0.0.1 meanwhile still links.
 */
class DiscoveryFloodTest {
    private static final int DATAGRAMS = 50_000;
    private static final int PER_SECOND = 10_000;

    @TempDir
    Path dir;

    private HostileDaemon daemon;
    private Bait bait;

    @BeforeEach
    void setUp() throws Exception {
        daemon = HostileDaemon.start(dir, List.of());
        bait = new Bait(InetAddress.getByName("127.0.0.2"), 0);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (bait != null) {
            bait.close();
        }
        if (daemon != null) {
            daemon.close();
        }
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
