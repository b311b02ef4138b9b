package io.github.gsbridge.hostile;

import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.Heap;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.LoopbackPhone;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long day in a short time: 1,000 reconnects and 100,000 pings from one paired phone. Afterwards
 * the heap (after GC) is where it was after the first 1,000 pings, and no thread was left behind.
 */
class SoakTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int RECONNECTS = 1000;
    private static final int PINGS = 100_000;
    private static final int FIRST_PINGS = 1000;
    private static final int PINGS_PER_LINK = (PINGS - FIRST_PINGS) / RECONNECTS;
    /**
     * Handshake and connection pools keep up to this many idle threads for a while, in the daemon
     * and in the phone: 16 for incoming handshakes, 4 + 2 for outgoing connections.
     */
    private static final int POOL_THREADS = 2 * (16 + 4 + 2);
    private static final long HEAP_MARGIN_MIN = 8L * 1024 * 1024;

    @TempDir
    Path dir;

    private final Semaphore pings = new Semaphore(0);

    @Test
    void thousandReconnectsAndHundredThousandPingsLeaveNothingBehind() throws Exception {
        PrintStream log = System.err;
        // 100,000 ping lines would drown the report; the figures below are what this test is about.
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        try (LoopbackPhone phone = LoopbackPhone.start(dir, bus -> List.of(new PingPlugin(bus)),
                Set.of(PingPlugin.TYPE), Set.of(PingPlugin.TYPE))) {
            phone.daemon().events().subscribe(event -> {
                if (event instanceof PingPlugin.PingReceived) {
                    pings.release();
                }
            });
            RawPeer peer = phone.peer();
            Identity daemon = phone.daemon().identity().withTcpPort(phone.daemon().tcpPort());
            long started = System.nanoTime();

            ping(peer, phone.link(), FIRST_PINGS);
            phone.events().clear();
            long heapStart = Heap.usedAfterGc();
            Map<String, Long> threadsStart = threadsByName();

            Link link = phone.link();
            for (int i = 0; i < RECONNECTS; i++) {
                link.close();
                peer.awaitClosed(link, WAIT);
                phone.events().await(DeviceEvent.Disconnected.class, e -> e.deviceId().equals(phone.peerId()), WAIT);
                phone.events().clear();
                peer.forgetHistory();
                peer.connectTo(LoopbackNode.LOOPBACK, daemon);
                link = peer.awaitLink(WAIT);
                ping(peer, link, PINGS_PER_LINK);
            }
            phone.events().clear();
            peer.forgetHistory();
            long heapEnd = Heap.usedAfterGc();
            Map<String, Long> threadsEnd = threadsByName();
            double seconds = (System.nanoTime() - started) / 1e9;

            long margin = Math.max(heapStart / 10, HEAP_MARGIN_MIN);
            long othersStart = others(threadsStart);
            long othersEnd = others(threadsEnd);
            log.printf("soak: %d reconnects, %d pings in %.1f s; heap after GC %s after %d pings, %s at the end "
                            + "(allowed %s); threads %d (+%d pooled) at start, %d (+%d pooled) at the end%n",
                    RECONNECTS, PINGS, seconds, Heap.mib(heapStart), FIRST_PINGS, Heap.mib(heapEnd),
                    Heap.mib(heapStart + margin), othersStart, pooled(threadsStart), othersEnd,
                    pooled(threadsEnd));
            assertTrue(heapEnd <= heapStart + margin, "heap grew from " + Heap.mib(heapStart) + " to "
                    + Heap.mib(heapEnd));
            assertTrue(othersEnd <= othersStart + 1, "threads left behind: " + threadsStart + " -> " + threadsEnd);
            assertTrue(pooled(threadsEnd) <= POOL_THREADS, "pooled threads: " + threadsEnd);
        } finally {
            System.setErr(log);
        }
    }

    /** Sends {@code count} pings and waits until the daemon's ping plugin got every one. */
    private void ping(RawPeer peer, Link link, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            Packet ping = new Packet(PingPlugin.TYPE);
            ping.body().put("message", "soak " + i);
            peer.send(link, ping);
        }
        assertTrue(pings.tryAcquire(count, WAIT.toSeconds(), TimeUnit.SECONDS), "not all " + count + " pings arrived");
    }

    private static Map<String, Long> threadsByName() {
        return Thread.getAllStackTraces().keySet().stream()
                .collect(Collectors.groupingBy(Thread::getName, Collectors.counting()));
    }

    private static long pooled(Map<String, Long> threads) {
        return threads.getOrDefault("lan-handshake", 0L) + threads.getOrDefault("lan-connect", 0L);
    }

    private static long others(Map<String, Long> threads) {
        return threads.values().stream().mapToLong(Long::longValue).sum() - pooled(threads);
    }
}
