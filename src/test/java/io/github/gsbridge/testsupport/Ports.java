package io.github.gsbridge.testsupport;

import io.github.gsbridge.lan.PortRange;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for tests that run several daemons on one host. */
public final class Ports {
    private Ports() {}

    /** A range of {@code count} consecutive ports free for TCP and UDP right now. */
    public static PortRange freeRange(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            if (allFree(first, count)) {
                return new PortRange(first, first + count - 1);
            }
        }
        throw new IllegalStateException("no free range of " + count + " ports");
    }

    /** Waits until every port of {@code range} can be bound for TCP again. */
    public static void awaitTcpFree(PortRange range, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int port = range.first(); port <= range.last(); port++) {
            while (true) {
                try (ServerSocket tcp = new ServerSocket()) {
                    tcp.bind(new InetSocketAddress(port));
                    break;
                } catch (IOException held) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("TCP port " + port + " still held after " + timeout);
                    }
                    ManagedProcess.pause(50);
                }
            }
        }
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket tcp = new ServerSocket();
                 DatagramSocket udp = new DatagramSocket(null)) {
                tcp.bind(new InetSocketAddress(port));
                udp.bind(new InetSocketAddress(port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
