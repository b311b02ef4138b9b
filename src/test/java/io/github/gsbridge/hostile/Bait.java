package io.github.gsbridge.hostile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** A TCP listener that counts who connects (and hangs up on them): proof that the daemon did or did not. */
final class Bait implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();

    /** Listens on {@code address}:{@code port} (0 for any free port). */
    Bait(InetAddress address, int port) throws IOException {
        socket = new ServerSocket(port, 50, address);
        Thread thread = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket ignored = socket.accept()) {
                    connections.incrementAndGet();
                } catch (IOException e) {
                    // closed at the end of the test
                }
            }
        }, "bait-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    /** Waits until someone connected; a bounded wait for the positive controls. */
    void awaitConnection() throws InterruptedException {
        long deadline = System.nanoTime() + HostileDaemon.WAIT.toNanos();
        while (connections.get() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nobody connected to " + socket.getLocalSocketAddress());
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
