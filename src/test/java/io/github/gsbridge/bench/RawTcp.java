package io.github.gsbridge.bench;

import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.TlsSockets;

import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The benchmark's baselines, run in a namespace: {@code receive PORT} prints {@code LISTENING},
 * then {@code RECEIVED <bytes> <nanos from accept to EOF>}; {@code send HOST PORT BYTES} writes
 * that many bytes and closes. With {@code tls} as a last argument on both sides the stream goes
 * through gsbridge's TLS sockets (throwaway certificates), the sender as TLS server like a
 * payload sender: what TLS costs on this link without the rest of the protocol.
 */
public final class RawTcp {
    /** The same chunk size as gsbridge's payload code, so only TLS and the protocol differ. */
    private static final int BUFFER = 1024 * 1024;

    private RawTcp() {}

    public static void main(String[] args) throws Exception {
        byte[] buffer = new byte[BUFFER];
        TlsSockets tls = args[args.length - 1].equals("tls")
                ? TlsSockets.create(LocalCertificate.generate(LocalCertificate.newDeviceId())) : null;
        if (args[0].equals("receive")) {
            try (ServerSocket server = new ServerSocket(Integer.parseInt(args[1]))) {
                System.out.println("LISTENING");
                System.out.flush();
                try (Socket socket = secured(server.accept(), tls, false); InputStream in = socket.getInputStream()) {
                    long start = System.nanoTime();
                    long total = 0;
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        total += n;
                    }
                    System.out.println("RECEIVED " + total + " " + (System.nanoTime() - start));
                }
            }
        } else {
            long size = Long.parseLong(args[3]);
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(args[1], Integer.parseInt(args[2])));
                Socket socket = secured(plain, tls, true);
                OutputStream out = socket.getOutputStream();
                for (long left = size; left > 0; left -= buffer.length) {
                    out.write(buffer, 0, (int) Math.min(buffer.length, left));
                }
                socket.close();
            }
        }
    }

    private static Socket secured(Socket plain, TlsSockets tls, boolean tlsServer) throws Exception {
        if (tls == null) {
            return plain;
        }
        SSLSocket socket = tlsServer ? tls.serverOn(plain) : tls.clientOn(plain);
        socket.startHandshake();
        return socket;
    }
}
