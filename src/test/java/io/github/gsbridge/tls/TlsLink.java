package io.github.gsbridge.tls;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Two TLS ends over a real loopback TCP connection, arranged as KDE Connect does: the side that
 * opens the TCP connection becomes the TLS server.
 */
record TlsLink(SSLSocket server, SSLSocket client) implements AutoCloseable {
    static final int TIMEOUT_MILLIS = 10_000;

    static TlsLink connect(TlsSockets serverSide, TlsSockets clientSide) throws Exception {
        return connect(serverSide, clientSide, socket -> {}, socket -> {});
    }

    static TlsLink connect(TlsSockets serverSide, TlsSockets clientSide,
                           Consumer<SSLSocket> tweakServer, Consumer<SSLSocket> tweakClient) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket listener = new ServerSocket(0, 1, loopback)) {
            Socket opener = new Socket(loopback, listener.getLocalPort());
            Socket accepted = listener.accept();
            SSLSocket server = serverSide.serverOn(opener);
            SSLSocket client = clientSide.clientOn(accepted);
            tweakServer.accept(server);
            tweakClient.accept(client);
            handshakeBoth(server, client);
            return new TlsLink(server, client);
        }
    }

    /** Runs both handshakes at once, as two peers would; rethrows the first failure. */
    static void handshakeBoth(SSLSocket server, SSLSocket client) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Void> serverDone = CompletableFuture.runAsync(() -> handshake(server), executor);
            CompletableFuture<Void> clientDone = CompletableFuture.runAsync(() -> handshake(client), executor);
            try {
                CompletableFuture.allOf(serverDone, clientDone).get(TIMEOUT_MILLIS * 2L, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                server.close();
                client.close();
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static void handshake(SSLSocket socket) {
        try {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.startHandshake();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(socket.getUseClientMode() ? "client" : "server", e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
