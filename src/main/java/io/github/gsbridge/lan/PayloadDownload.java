package io.github.gsbridge.lan;

import io.github.gsbridge.tls.Certificates;
import io.github.gsbridge.tls.TlsSockets;
import io.github.gsbridge.wire.Packet;

import javax.net.ssl.SSLSocket;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The receiving side of a payload: connect to the sending device's payload port, as TLS client,
 * and read exactly {@code payloadSize} bytes. Only the link's own address is ever contacted, so a
 * packet cannot point us at another host.
 */
public final class PayloadDownload {
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_TIMEOUT_MS = 60_000;

    private PayloadDownload() {}

    /** A stream of exactly {@code packet.payloadSize()} bytes; an early end is an {@link EOFException}. */
    public static InputStream open(Link link, TlsSockets tls, PortRange allowedPorts, Packet packet) throws IOException {
        if (!packet.hasPayload()) {
            throw new IOException(packet.type() + " from " + link.deviceId() + " has no payload");
        }
        int port = packet.payloadPort().getAsInt();
        if (!allowedPorts.contains(port)) {
            throw new IOException(packet.type() + " from " + link.deviceId() + ": payload port " + port
                    + " is outside " + allowedPorts);
        }
        long size = packet.payloadSize();
        if (size < 0) {
            throw new IOException(packet.type() + " from " + link.deviceId() + ": payload of unknown size refused");
        }
        Socket plain = new Socket();
        SSLSocket socket = null;
        try {
            plain.connect(new InetSocketAddress(link.remoteAddress(), port), CONNECT_TIMEOUT_MS);
            plain.setSoTimeout(READ_TIMEOUT_MS);
            socket = tls.clientOn(plain);
            socket.startHandshake();
            if (!Certificates.sameCertificate(TlsSockets.peerCertificate(socket), link.peerCertificate())) {
                throw new IOException("payload certificate differs from the link's");
            }
            return new ExactLengthStream(socket, size, link.deviceId());
        } catch (IOException e) {
            Sockets.closeQuietly(socket);
            Sockets.closeQuietly(plain);
            throw new IOException(packet.type() + " from " + link.deviceId() + ": payload: " + e.getMessage(), e);
        }
    }

    /** Ends after exactly {@code size} bytes; ending earlier is an error, extra bytes are never read. */
    private static final class ExactLengthStream extends FilterInputStream {
        private final Socket socket;
        private final long size;
        private final String deviceId;
        private long remaining;

        ExactLengthStream(SSLSocket socket, long size, String deviceId) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
            this.size = size;
            this.deviceId = deviceId;
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException(deviceId + " closed the payload after " + (size - remaining) + " of "
                        + size + " bytes");
            }
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("skip is not supported on a payload");
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
