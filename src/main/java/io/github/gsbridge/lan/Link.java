package io.github.gsbridge.lan;

import io.github.gsbridge.threads.Threads;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.LineReader;
import io.github.gsbridge.wire.LineTooLongException;
import io.github.gsbridge.wire.MalformedPacketException;
import io.github.gsbridge.wire.Packet;
import io.github.gsbridge.wire.PacketCodec;
import io.github.gsbridge.wire.PacketFieldException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** An authenticated TLS connection to one device, carrying packets both ways. */
public final class Link {
    private static final Logger LOG = LoggerFactory.getLogger(Link.class);

    /** Who opened the TCP connection. */
    public enum Direction { INCOMING, OUTGOING }

    /** Receives what arrives on a link; called on the link's reader thread. */
    public interface Handler {
        void onPacket(Link link, Packet packet);

        void onClosed(Link link);
    }

    /**
     * A peer that takes none of a packet's bytes for this long is given up on: its socket buffer
     * holds hundreds of packets, so it has stopped reading, and TCP alone would keep the writer
     * (a D-Bus call, the reader answering a stranger) blocked for as long as the peer acknowledges.
     */
    static final Duration WRITE_STALL_LIMIT = Duration.ofSeconds(30);
    /** Written in pieces of this size, so that a long line that still moves counts as progress. */
    private static final int WRITE_CHUNK = 64 * 1024;
    /**
     * A peer that acknowledges nothing of what we sent for this long has left the network. TCP
     * keepalive finds a silent peer only on an idle connection: while data is unacknowledged it
     * sends no probes, and TCP retransmits for about 15 minutes before it gives up. This is
     * keepalive's own patience (3 probes 5 s apart) for that case.
     */
    static final Duration UNANSWERED_LIMIT = Duration.ofSeconds(15);
    /**
     * How long after a write the link looks at its retransmissions, and again while data stays
     * unacknowledged. A link that sends nothing is never looked at, so an idle daemon does not wake.
     */
    static final Duration ACKNOWLEDGEMENT_CHECK = Duration.ofSeconds(5);
    private static final ScheduledThreadPoolExecutor WATCH = new ScheduledThreadPoolExecutor(1, Threads.daemon("link-watch"));

    static {
        // Nearly every write ends at once; its cancelled watch must not wait in the queue.
        WATCH.setRemoveOnCancelPolicy(true);
    }

    private final Identity identity;
    private final SSLSocket socket;
    /** The connection under {@link #socket}, closed first so that a blocked writer cannot hold up {@link #close()}. */
    private final Socket tcp;
    private final LineReader reader;
    private final X509Certificate peerCertificate;
    private final Direction direction;
    private final int lastConnectionPort;
    private final Instant established = Instant.now();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** A newer link of the device took over; the device closing this one is the expected end. */
    private volatile boolean replaced;
    private final Object writeLock = new Object();
    private final OutputStream out;
    private final int protocolVersion;
    private volatile Duration writeStallLimit = WRITE_STALL_LIMIT;
    /** {@link System#nanoTime()} when the write in progress last got bytes out. */
    private volatile long lastWriteProgress;
    private volatile boolean writeStalled;
    private final AtomicBoolean acknowledgementCheckDue = new AtomicBoolean();
    /** The pending look, cancelled on close: it holds the link (TLS buffers and all) until it runs. */
    private volatile ScheduledFuture<?> acknowledgementCheck;

    Link(Identity identity, int ourProtocolVersion, SSLSocket socket, Socket tcp, LineReader reader,
         X509Certificate peerCertificate, Direction direction, int lastConnectionPort) throws IOException {
        this.identity = identity;
        this.protocolVersion = Math.min(ourProtocolVersion, identity.protocolVersion());
        this.socket = socket;
        this.tcp = tcp;
        this.reader = reader;
        this.peerCertificate = peerCertificate;
        this.direction = direction;
        this.lastConnectionPort = lastConnectionPort;
        this.out = socket.getOutputStream();
        setTrusted(false);
    }

    /**
     * What the device layer decided about this link: only a paired device may send lines past
     * the identity limit, so a stranger's line is refused before anything parses it. A link
     * starts untrusted.
     */
    public void setTrusted(boolean trusted) {
        reader.setLimit(trusted ? PacketCodec.MAX_LINK_LINE : PacketCodec.MAX_IDENTITY_LINE);
    }

    public Identity identity() {
        return identity;
    }

    /** The protocol both sides speak on this link: the lower of the two announced versions. */
    public int protocolVersion() {
        return protocolVersion;
    }

    public String deviceId() {
        return identity.deviceId();
    }

    public X509Certificate peerCertificate() {
        return peerCertificate;
    }

    public InetAddress remoteAddress() {
        return socket.getInetAddress();
    }

    public Direction direction() {
        return direction;
    }

    public Instant established() {
        return established;
    }

    /**
     * {@code lan://ip:port} the way GSConnect records it in {@code last-connection}: the peer's
     * listening port when we connected out, our own when the peer connected in.
     */
    public String lastConnectionUri() {
        return "lan://" + remoteAddress().getHostAddress() + ":" + lastConnectionPort;
    }

    /** Marks this link as taken over by a newer one of the same device, which it waits to be closed. */
    public void markReplaced() {
        replaced = true;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /** Starts the reader thread; the handler sees every packet and, once, the close. */
    public void start(Handler handler) {
        Threads.start("link-" + identity.deviceId(), () -> readLoop(handler));
    }

    public void send(Packet packet) throws IOException {
        write(PacketCodec.encode(packet));
    }

    /** Writes bytes as they are; adversarial tests use it to send what no encoder would. */
    void write(byte[] line) throws IOException {
        if (closed.get()) {
            throw new SocketException("link to " + identity.deviceId() + " is closed");
        }
        synchronized (writeLock) {
            Duration limit = writeStallLimit;
            lastWriteProgress = System.nanoTime();
            long checkMs = Math.max(10, limit.toMillis() / 4);
            ScheduledFuture<?> watch = WATCH.scheduleWithFixedDelay(() -> checkWriteStall(limit), checkMs,
                    checkMs, TimeUnit.MILLISECONDS);
            try {
                for (int offset = 0; offset < line.length; offset += WRITE_CHUNK) {
                    out.write(line, offset, Math.min(WRITE_CHUNK, line.length - offset));
                    lastWriteProgress = System.nanoTime();
                }
                out.flush();
                scheduleAcknowledgementCheck();
            } catch (IOException e) {
                if (writeStalled) {
                    SocketTimeoutException timeout = new SocketTimeoutException(identity.deviceId()
                            + " took no bytes for " + limit.toSeconds() + " s");
                    timeout.initCause(e);
                    throw timeout;
                }
                throw e;
            } finally {
                watch.cancel(false);
            }
        }
    }

    private void checkWriteStall(Duration limit) {
        if (System.nanoTime() - lastWriteProgress >= limit.toNanos() && !writeStalled && isOpen()) {
            writeStalled = true;
            LOG.warn("{}: closing link: took no bytes for {} s", identity.deviceId(), limit.toSeconds());
            close();
        }
    }

    private void scheduleAcknowledgementCheck() {
        if (acknowledgementCheckDue.compareAndSet(false, true)) {
            acknowledgementCheck = WATCH.schedule(this::checkAcknowledgement, ACKNOWLEDGEMENT_CHECK.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void checkAcknowledgement() {
        // Cleared before the look, so that a write after it schedules the next look itself.
        acknowledgementCheckDue.set(false);
        if (!isOpen()) {
            return;
        }
        Optional<TcpTable.SendQueue> queue = TcpTable.SYSTEM.sendQueue(tcp);
        if (queue.isEmpty() || queue.get().unacknowledged() == 0) {
            return;
        }
        Duration unanswered = queue.get().unanswered();
        if (unanswered.compareTo(UNANSWERED_LIMIT) >= 0) {
            LOG.warn("{}: closing link: unreachable, {} bytes unacknowledged for {} s ({} retransmissions)",
                    identity.deviceId(), queue.get().unacknowledged(), unanswered.toSeconds(),
                    queue.get().retransmissions());
            close();
        } else {
            scheduleAcknowledgementCheck();
        }
    }

    /** Tests shorten the stall limit rather than wait half a minute. */
    void setWriteStallLimit(Duration limit) {
        writeStallLimit = limit;
    }

    public void close() {
        if (closed.compareAndSet(false, true)) {
            Sockets.abort(tcp, socket);
            ScheduledFuture<?> check = acknowledgementCheck;
            if (check != null) {
                check.cancel(false);
            }
        }
    }

    private void readLoop(Handler handler) {
        try {
            while (!closed.get()) {
                byte[] line = reader.readLine();
                if (line == null) {
                    LOG.debug("{}: peer closed the link", identity.deviceId());
                    break;
                }
                if (line.length == 0) {
                    continue;
                }
                Packet packet;
                try {
                    packet = PacketCodec.decode(line);
                } catch (MalformedPacketException e) {
                    LOG.warn("{}: dropped malformed packet: {}", identity.deviceId(), e.getMessage());
                    continue;
                }
                try {
                    handler.onPacket(this, packet);
                } catch (PacketFieldException e) {
                    LOG.warn("{}: refused {}", identity.deviceId(), e.getMessage());
                } catch (RuntimeException e) {
                    LOG.warn("{}: handling {} failed", identity.deviceId(), packet.type(), e);
                }
            }
        } catch (LineTooLongException e) {
            LOG.warn("{}: closing link: {}", identity.deviceId(), e.getMessage());
        } catch (IOException e) {
            if (replaced) {
                LOG.debug("{}: the device closed the link a newer one replaced", identity.deviceId());
            } else if (!closed.get()) {
                LOG.info("{}: link lost: {}", identity.deviceId(), e.getMessage());
            }
        } finally {
            close();
            handler.onClosed(this);
        }
    }

    @Override
    public String toString() {
        return identity.deviceId() + "@" + remoteAddress().getHostAddress() + " (" + direction.name().toLowerCase() + ")";
    }
}
