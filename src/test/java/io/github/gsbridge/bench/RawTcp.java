package io.github.gsbridge.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The benchmark's plain TCP baseline, run in a namespace: {@code receive PORT} prints
 * {@code LISTENING}, then {@code RECEIVED <bytes> <nanos from accept to EOF>};
 * {@code send HOST PORT BYTES} writes that many bytes and closes.
 */
public final class RawTcp {
    /** The same chunk size as gsbridge's payload code, so only TLS and the protocol differ. */
    private static final int BUFFER = 1024 * 1024;

    private RawTcp() {}

    public static void main(String[] args) throws Exception {
        byte[] buffer = new byte[BUFFER];
        if (args[0].equals("receive")) {
            try (ServerSocket server = new ServerSocket(Integer.parseInt(args[1]))) {
                System.out.println("LISTENING");
                System.out.flush();
                try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
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
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(args[1], Integer.parseInt(args[2])));
                OutputStream out = socket.getOutputStream();
                for (long left = size; left > 0; left -= buffer.length) {
                    out.write(buffer, 0, (int) Math.min(buffer.length, left));
                }
            }
        }
    }
}
