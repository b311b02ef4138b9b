package io.github.gsbridge.bench;

import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.TlsSockets;

import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Throughput of one stream over loopback in this JVM, layer by layer: raw TCP, gsbridge's TLS
 * sockets in the payload roles (sender = TLS server) and the reverse. Prints MB/s; asserts
 * nothing. Usage: TlsStreamBenchmark [MiB, default 1024]
 */
public final class TlsStreamBenchmark {
    private static final int BUFFER = 256 * 1024;

    private TlsStreamBenchmark() {}

    public static void main(String[] args) throws Exception {
        long bytes = (args.length > 0 ? Long.parseLong(args[0]) : 1024) * 1024 * 1024;
        TlsSockets alice = TlsSockets.create(LocalCertificate.generate(LocalCertificate.newDeviceId()));
        TlsSockets bob = TlsSockets.create(LocalCertificate.generate(LocalCertificate.newDeviceId()));
        alice.warmUp();
        bob.warmUp();
        System.out.printf("%-44s %10s%n", "stream over loopback", "MB/s");
        for (int round = 0; round < 2; round++) {
            String suffix = round == 0 ? " (cold)" : "";
            report("raw TCP" + suffix, bytes, s -> s, s -> s);
            report("TLS, sender is TLS server (payload)" + suffix, bytes,
                    s -> wrap(() -> alice.serverOn(s)), s -> wrap(() -> bob.clientOn(s)));
            report("TLS, sender is TLS client" + suffix, bytes,
                    s -> wrap(() -> alice.clientOn(s)), s -> wrap(() -> bob.serverOn(s)));
        }
    }

    private interface SocketSupplier {
        Socket get() throws Exception;
    }

    private static Socket wrap(SocketSupplier supplier) {
        try {
            Socket socket = supplier.get();
            if (socket instanceof SSLSocket ssl) {
                ssl.startHandshake();
                System.err.println("  " + ssl.getSession().getProtocol() + " " + ssl.getSession().getCipherSuite());
            }
            return socket;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code bytes} from the accepting side to the connecting side and prints MB/s at the receiver. */
    private static void report(String label, long bytes, Function<Socket, Socket> senderSide,
                               Function<Socket, Socket> receiverSide) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try (Socket accepted = senderSide.apply(server.accept())) {
                    OutputStream out = accepted.getOutputStream();
                    byte[] buffer = new byte[BUFFER];
                    for (long sent = 0; sent < bytes; sent += buffer.length) {
                        out.write(buffer, 0, (int) Math.min(buffer.length, bytes - sent));
                    }
                    out.flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket connected = receiverSide.apply(new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()))) {
                InputStream in = connected.getInputStream();
                byte[] buffer = new byte[BUFFER];
                long received = 0;
                long start = System.nanoTime();
                int n;
                while ((n = in.read(buffer)) > 0) {
                    received += n;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%-44s %10.0f%n", label, received / seconds / 1e6);
            }
            sending.join();
        }
    }
}
