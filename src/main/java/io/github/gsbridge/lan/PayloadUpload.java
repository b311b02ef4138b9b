package io.github.gsbridge.lan;

import io.github.gsbridge.threads.Threads;
import io.github.gsbridge.tls.Certificates;
import io.github.gsbridge.tls.TlsSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocket;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The sending side of a payload: we listen on a port of 1739-1764, the device connects, and here
 * the roles are not inverted, so we are the TLS server. Only the linked device, from the link's
 * address and with the link's certificate, may fetch the bytes.
 */
public final class PayloadUpload implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PayloadUpload.class);
    public static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(30);
    private static final int BUFFER = 256 * 1024;
    /**
     * Once the device has connected, its TLS handshake gets this long, not just what is left of
     * the accept window: a receiver whose event loop is held up (kdeconnectd makes blocking D-Bus
     * calls) would otherwise lose a transfer it had already started.
     */
    private static final int HANDSHAKE_TIMEOUT_MS = 60_000;
    /**
     * A receiver that takes no bytes for this long is given up on, as {@link PayloadDownload}
     * gives up on a sender. Writes have no timeout of their own, so a watcher closes the socket.
     */
    static final Duration STALL_LIMIT = Duration.ofSeconds(60);
    private static final ScheduledExecutorService STALL_WATCH = Executors.newSingleThreadScheduledExecutor(Threads.daemon("payload-stall-watch"));

    private final ServerSocket server;
    private final Link link;
    private final TlsSockets tls;
    /** The device's connection once accepted, so that {@link #close()} from another thread ends it too. */
    private volatile SSLSocket connection;
    /** The TCP connection under {@link #connection}. */
    private volatile Socket tcpConnection;

    private PayloadUpload(ServerSocket server, Link link, TlsSockets tls) {
        this.server = server;
        this.link = link;
        this.tls = tls;
    }

    public static PayloadUpload open(Link link, TlsSockets tls, PortRange ports) throws IOException {
        return new PayloadUpload(Sockets.bindFirstFree(ports, 4), link, tls);
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * Waits for the device, then writes exactly {@code size} bytes of {@code source} and closes
     * the connection (receivers read to EOF).
     */
    public void transfer(InputStream source, long size, LongConsumer progress, Duration acceptTimeout)
            throws IOException {
        transfer(source, size, progress, acceptTimeout, STALL_LIMIT);
    }

    void transfer(InputStream source, long size, LongConsumer progress, Duration acceptTimeout, Duration stallLimit)
            throws IOException {
        AtomicLong lastWrite = new AtomicLong();
        AtomicBoolean stalled = new AtomicBoolean();
        ScheduledFuture<?> watch = null;
        SSLSocket socket = null;
        IOException failure = null;
        try {
            socket = acceptFromLinkedDevice(acceptTimeout);
            connection = socket;
            if (server.isClosed()) {
                throw new SocketException("payload withdrawn");
            }
            lastWrite.set(System.nanoTime());
            long checkMs = Math.max(10, stallLimit.toMillis() / 4);
            watch = STALL_WATCH.scheduleWithFixedDelay(() -> {
                if (System.nanoTime() - lastWrite.get() >= stallLimit.toNanos() && stalled.compareAndSet(false, true)) {
                    close();
                }
            }, checkMs, checkMs, TimeUnit.MILLISECONDS);
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[BUFFER];
            long done = 0;
            while (done < size) {
                int n = source.read(buffer, 0, (int) Math.min(buffer.length, size - done));
                if (n < 0) {
                    throw new EOFException("source ended after " + done + " of " + size + " bytes");
                }
                out.write(buffer, 0, n);
                lastWrite.set(System.nanoTime());
                done += n;
                progress.accept(done);
            }
            out.flush();
        } catch (IOException e) {
            failure = e;
        } finally {
            // close_notify tells the receiver that the payload ends here, so one that ended early
            // reads as short rather than as a cut connection. That write can block on a receiver
            // that stopped reading too, so the watch still runs.
            Sockets.closeQuietly(socket);
            if (watch != null) {
                watch.cancel(false);
            }
            close();
        }
        if (stalled.get()) {
            SocketTimeoutException timeout = new SocketTimeoutException(link.deviceId()
                    + " took no payload bytes for " + stallLimit.toSeconds() + " s");
            timeout.initCause(failure);
            throw timeout;
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Offers zero bytes, for an empty file: true once the device fetched them, false when it did
     * not connect within {@code grace}. kdeconnect makes the empty file from the packet and never
     * connects; GSConnect connects and needs the connection to finish. Either way the file arrived,
     * so the listener is given up soon instead of held for a fetch that may never come, and a
     * receiver that connects and drops the connection has received all there was.
     */
    public boolean transferEmpty(Duration grace) throws IOException {
        try {
            Sockets.closeQuietly(acceptFromLinkedDevice(grace));
            return true;
        } catch (NotFetched e) {
            return false;
        } catch (Refused e) {
            LOG.debug("{}: empty payload: the device closed the connection: {}", link.deviceId(), e.getMessage());
            return true;
        } finally {
            close();
        }
    }

    /** The device did not connect in time. */
    private static final class NotFetched extends SocketTimeoutException {
        NotFetched(String message) {
            super(message);
        }
    }

    /** The device connected and then broke off the TLS handshake, or presented another certificate. */
    private static final class Refused extends IOException {
        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private SSLSocket acceptFromLinkedDevice(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
            Socket plain;
            try {
                if (remainingMs <= 0) {
                    throw new SocketTimeoutException();
                }
                server.setSoTimeout((int) remainingMs);
                plain = server.accept();
            } catch (SocketTimeoutException e) {
                throw new NotFetched(link.deviceId() + " did not fetch the payload within "
                        + timeout.toSeconds() + " s");
            }
            if (!plain.getInetAddress().equals(link.remoteAddress())) {
                LOG.warn("{}: refused payload connection from {}: not the device's address {}", link.deviceId(),
                        plain.getInetAddress().getHostAddress(), link.remoteAddress().getHostAddress());
                Sockets.closeQuietly(plain);
                continue;
            }
            SSLSocket socket = tls.serverOn(plain);
            tcpConnection = plain;
            try {
                socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
                socket.startHandshake();
                if (!Certificates.sameCertificate(TlsSockets.peerCertificate(socket), link.peerCertificate())) {
                    throw new Refused("the connection for the file presented another certificate than the"
                            + " device's", null);
                }
                socket.setSoTimeout(0);
                return socket;
            } catch (Refused e) {
                Sockets.closeQuietly(socket);
                throw e;
            } catch (IOException e) {
                Sockets.closeQuietly(socket);
                if (server.isClosed()) {
                    throw new SocketException("payload withdrawn");
                }
                // The device came for the file and broke off: it will not come back for it (kdeconnectd
                // 22.12 does this to a GSConnect 54 identity), so waiting out the accept timeout only
                // hides the reason.
                throw new Refused("the device refused the file: it broke off the secure connection for it ("
                        + e.getMessage() + ")", e);
            }
        }
    }

    /** Withdraws the payload: stops waiting for the device, or cuts the connection it opened. */
    @Override
    public void close() {
        Sockets.closeQuietly(server);
        Sockets.abort(tcpConnection, connection);
    }
}
