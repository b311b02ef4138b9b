package io.github.gsbridge.lan;

import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.LineReader;
import io.github.gsbridge.wire.LineTooLongException;
import io.github.gsbridge.wire.MalformedPacketException;
import io.github.gsbridge.wire.Packet;
import io.github.gsbridge.wire.PacketCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.cert.X509Certificate;
import java.time.Instant;
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
    private final Object writeLock = new Object();
    private final OutputStream out;

    Link(Identity identity, SSLSocket socket, Socket tcp, LineReader reader, X509Certificate peerCertificate,
         Direction direction, int lastConnectionPort) throws IOException {
        this.identity = identity;
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

    public boolean isOpen() {
        return !closed.get();
    }

    /** Starts the reader thread; the handler sees every packet and, once, the close. */
    public void start(Handler handler) {
        Thread thread = new Thread(() -> readLoop(handler), "link-" + identity.deviceId());
        thread.setDaemon(true);
        thread.start();
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
            out.write(line);
            out.flush();
        }
    }

    public void close() {
        if (closed.compareAndSet(false, true)) {
            Sockets.abort(tcp, socket);
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
                } catch (RuntimeException e) {
                    LOG.warn("{}: handling {} failed", identity.deviceId(), packet.type(), e);
                }
            }
        } catch (LineTooLongException e) {
            LOG.warn("{}: closing link: {}", identity.deviceId(), e.getMessage());
        } catch (IOException e) {
            if (!closed.get()) {
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
