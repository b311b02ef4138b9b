package io.github.gsbridge.lan;

import io.github.gsbridge.threads.Threads;
import io.github.gsbridge.tls.TlsSockets;
import io.github.gsbridge.wire.DeviceIds;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.InvalidIdentityException;
import io.github.gsbridge.wire.LineReader;
import io.github.gsbridge.wire.MalformedPacketException;
import io.github.gsbridge.wire.PacketCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The KDE Connect LAN backend: UDP discovery, the TCP listener, outgoing connections and the
 * handshake that turns a TCP connection into an authenticated {@link Link}.
 *
 * <p>Handshake roles are inverted: the side that opened TCP sends its identity in clear text and
 * then acts as TLS <em>server</em>. With protocol 8 on both sides each then repeats its identity
 * inside TLS, and only that copy is trusted.
 */
public final class LanLinkProvider implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LanLinkProvider.class);
    /** On a LAN a connection is set up in milliseconds; an address that does not answer holds a thread no longer. */
    private static final int CONNECT_TIMEOUT_MS = 2000;
    /** A peer that opened TCP but does not send its identity is dropped after this (slow-loris). */
    private static final int IDENTITY_TIMEOUT_MS = 5000;
    private static final int TLS_TIMEOUT_MS = 10_000;
    /**
     * The whole handshake must be over by then. Each read has its own timeout, but a peer that
     * sends one byte just before each expires would otherwise hold a handshake thread for hours.
     */
    private static final int HANDSHAKE_DEADLINE_MS = IDENTITY_TIMEOUT_MS + TLS_TIMEOUT_MS;
    private static final int MAX_HANDSHAKES = 16;
    private static final int MAX_QUEUED_HANDSHAKES = 64;
    /**
     * Incoming handshakes one address may have running or queued. A device needs one; without a
     * limit a single host holding 80 slow connections keeps everyone else out.
     */
    private static final int MAX_HANDSHAKES_PER_ADDRESS = 4;
    /**
     * Connections we open after announcements, with their own threads: anyone can send UDP
     * announcements with any source address, and when these shared the incoming handshakes'
     * threads, ten spoofed datagrams a second kept a paired phone from connecting at all.
     */
    private static final int MAX_CONNECTS = 4;
    private static final int MAX_QUEUED_CONNECTS = 16;
    /** Connections to paired devices, apart again, so that a flood of strangers' announcements cannot delay them. */
    private static final int MAX_PREFERRED_CONNECTS = 2;
    private static final int MAX_QUEUED_PREFERRED_CONNECTS = 8;
    /** Failed handshakes from an address that has had none for this long are summed up in the log. */
    private static final Duration FAILURES_QUIET = Duration.ofSeconds(30);

    private final LanConfig config;
    private final TlsSockets tls;
    private final Supplier<Identity> ourIdentity;
    private final Consumer<Link> onLink;
    private final Discovery discovery;
    private final ThreadPoolExecutor handshakes;
    private final ThreadPoolExecutor connects;
    private final ThreadPoolExecutor preferredConnects;
    private volatile Predicate<String> preferred = deviceId -> false;
    private final ScheduledThreadPoolExecutor deadlines;
    private final Set<InetSocketAddress> connecting = ConcurrentHashMap.newKeySet();
    /** Incoming handshakes by remote address; an address without any has no entry. */
    private final Map<InetAddress, Integer> incoming = new ConcurrentHashMap<>();
    private final HandshakeFailures failures = new HandshakeFailures(FAILURES_QUIET);
    /** Whether a look for streaks that ended is scheduled: only while some go on, so that idle means asleep. */
    private final AtomicBoolean failuresSweepDue = new AtomicBoolean();
    private ServerSocket server;
    private Thread acceptor;

    /**
     * @param ourIdentity our identity without transport fields, read at every handshake so renames apply
     * @param onLink      receives every authenticated link (it decides whether to trust it)
     */
    public LanLinkProvider(LanConfig config, TlsSockets tls, Supplier<Identity> ourIdentity, Consumer<Link> onLink) {
        this.config = config;
        this.tls = tls;
        this.ourIdentity = ourIdentity;
        this.onLink = onLink;
        this.discovery = new Discovery(config, () -> ourIdentity.get().withTcpPort(tcpPort()), this::onAnnouncement);
        this.handshakes = pool(MAX_HANDSHAKES, MAX_QUEUED_HANDSHAKES, "lan-handshake");
        this.connects = pool(MAX_CONNECTS, MAX_QUEUED_CONNECTS, "lan-connect");
        this.preferredConnects = pool(MAX_PREFERRED_CONNECTS, MAX_QUEUED_PREFERRED_CONNECTS, "lan-connect");
        this.deadlines = new ScheduledThreadPoolExecutor(1, Threads.daemon("lan-handshake-deadline"));
        // Nearly every handshake ends in time; its cancelled deadline must not wait in the queue.
        deadlines.setRemoveOnCancelPolicy(true);
    }

    private static ThreadPoolExecutor pool(int threads, int queued, String name) {
        // All threads are core threads: with a core of 0 the pool runs a single thread until its
        // queue is full, so each slow handshake held up every one behind it.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queued), Threads.daemon(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Connections to devices {@code deviceIds} accepts (the paired ones) get threads of their own. */
    public void preferConnectsTo(Predicate<String> deviceIds) {
        preferred = deviceIds;
    }

    /** Binds the TCP listener and the UDP port; throws if either is taken. */
    public void start() throws IOException {
        server = Sockets.bindFirstFree(config.tcpPorts(), 50);
        try {
            discovery.start();
        } catch (IOException e) {
            Sockets.closeQuietly(server);
            throw e;
        }
        acceptor = Threads.start("lan-accept-" + server.getLocalPort(), this::acceptLoop);
        LOG.info("listening on TCP {} and UDP {}", server.getLocalPort(), discovery.port());
    }

    public int tcpPort() {
        return server.getLocalPort();
    }

    public int udpPort() {
        return discovery.port();
    }

    public void announce() {
        discovery.announce();
    }

    /** Unicasts our identity so the device at that address connects to us. */
    public void announceTo(InetAddress address) {
        discovery.announceTo(address);
    }

    /** The same, to a device whose discovery port is not the usual one. */
    public void announceTo(InetAddress address, int udpPort) {
        discovery.announceTo(address, udpPort);
    }

    /** Opens a link to a device that announced itself (or whose address we know). */
    public void connect(InetAddress address, Identity peer) {
        InetSocketAddress target = new InetSocketAddress(address, peer.tcpPort());
        if (!connecting.add(target)) {
            return;
        }
        boolean isPreferred = preferred.test(peer.deviceId());
        try {
            (isPreferred ? preferredConnects : connects).execute(() -> {
                Link link;
                try {
                    link = connectOut(target, peer);
                } finally {
                    // Before the hand-over: once the link is out, closing it and connecting again must not be
                    // taken for a duplicate of this attempt.
                    connecting.remove(target);
                }
                if (link != null) {
                    onLink.accept(link);
                }
            });
        } catch (RejectedExecutionException e) {
            connecting.remove(target);
            if (isPreferred) {
                LOG.warn("{}: not connecting to {}: too many connections in progress", peer.deviceId(), target);
            } else {
                // Announcements cost nothing to forge: a line for each would be a flood of its own.
                LOG.debug("{}: not connecting to {}: too many connections in progress", peer.deviceId(), target);
            }
        }
    }

    private void onAnnouncement(Identity peer, InetAddress address) {
        LOG.debug("{} ({}) announced itself from {}", peer.deviceId(), peer.deviceName(), address.getHostAddress());
        connect(address, peer);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("TCP accept failed: {}", e.getMessage());
                }
                continue;
            }
            InetAddress from = socket.getInetAddress();
            if (!claimHandshake(from)) {
                failed(from, MAX_HANDSHAKES_PER_ADDRESS + " handshakes from that address in progress");
                Sockets.closeQuietly(socket);
                continue;
            }
            try {
                handshakes.execute(() -> {
                    try {
                        acceptIn(socket);
                    } finally {
                        releaseHandshake(from);
                    }
                });
            } catch (RejectedExecutionException e) {
                releaseHandshake(from);
                failed(from, "too many handshakes in progress");
                Sockets.closeQuietly(socket);
            }
        }
    }

    /** Counts a handshake from {@code address}; false (and nothing counted) when it has too many. */
    private boolean claimHandshake(InetAddress address) {
        boolean[] claimed = new boolean[1];
        incoming.compute(address, (key, running) -> {
            int count = running == null ? 0 : running;
            claimed[0] = count < MAX_HANDSHAKES_PER_ADDRESS;
            return claimed[0] ? count + 1 : running;
        });
        return claimed[0];
    }

    private void releaseHandshake(InetAddress address) {
        incoming.computeIfPresent(address, (key, running) -> running == 1 ? null : running - 1);
    }

    /** The peer opened TCP: read its clear identity, then we are the TLS client. */
    private void acceptIn(Socket socket) {
        InetAddress from = socket.getInetAddress();
        Identity ours = ourIdentity.get();
        Deadline deadline = new Deadline(socket);
        try {
            Sockets.configureLink(socket);
            socket.setSoTimeout(IDENTITY_TIMEOUT_MS);
            byte[] line = LineReader.readUnbuffered(socket.getInputStream(), PacketCodec.MAX_IDENTITY_LINE);
            if (line == null) {
                throw new IOException("connection closed before an identity arrived");
            }
            Identity peer = Identity.fromPacket(PacketCodec.decode(line));
            if (peer.deviceId().equals(ours.deviceId())) {
                throw new IOException("the connection came from ourselves");
            }
            if (peer.targetDeviceId() != null && !peer.targetDeviceId().equals(ours.deviceId())
                    && !peer.targetDeviceId().equals(DeviceIds.filtered(ours.deviceId()))) {
                throw new IOException(peer.deviceId() + " wanted device " + peer.targetDeviceId() + ", not us");
            }
            if (peer.targetProtocolVersion() != null && peer.targetProtocolVersion() != ours.protocolVersion()) {
                throw new IOException(peer.deviceId() + " expected protocol " + peer.targetProtocolVersion()
                        + " but we speak " + ours.protocolVersion());
            }
            SSLSocket ssl = tls.clientOn(socket);
            Link link = finish(ssl, socket, ours, peer, Link.Direction.INCOMING, tcpPort(), deadline);
            failures.succeeded(from);
            onLink.accept(link);
        } catch (IOException | MalformedPacketException | InvalidIdentityException e) {
            failed(from, deadline.reason(e));
            Sockets.closeQuietly(socket);
        } finally {
            deadline.stop();
        }
    }

    /** We open TCP: send our identity in clear, then we are the TLS server. Returns the link, or null. */
    private Link connectOut(InetSocketAddress target, Identity peer) {
        Identity ours = ourIdentity.get();
        Socket socket = new Socket();
        Deadline deadline = new Deadline(socket);
        try {
            Sockets.configureLink(socket);
            socket.connect(target, CONNECT_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(PacketCodec.encode(ours.withTarget(peer.deviceId(), peer.protocolVersion()).toPacket()));
            out.flush();
            SSLSocket ssl = tls.serverOn(socket);
            return finish(ssl, socket, ours, peer, Link.Direction.OUTGOING, peer.tcpPort(), deadline);
        } catch (IOException e) {
            LOG.info("{}: cannot connect to {}: {}", peer.deviceId(), target, deadline.reason(e));
            Sockets.closeQuietly(socket);
            return null;
        } finally {
            deadline.stop();
        }
    }

    /** Completes the handshake; the caller hands the link over. */
    private Link finish(SSLSocket ssl, Socket tcp, Identity ours, Identity clearPeer, Link.Direction direction,
                        int lastPort, Deadline deadline) throws IOException {
        try {
            ssl.setSoTimeout(TLS_TIMEOUT_MS);
            ssl.startHandshake();
            X509Certificate peerCertificate = TlsSockets.peerCertificate(ssl);
            LineReader reader = new LineReader(ssl.getInputStream(), PacketCodec.MAX_LINK_LINE);
            Identity peer = clearPeer;
            // Protocol 8 repeats the identity inside TLS; a peer that saw our 8 but speaks 7 will not.
            if (ours.protocolVersion() >= 8 && clearPeer.protocolVersion() >= 8) {
                peer = exchangeIdentities(ssl, reader, ours, clearPeer, direction);
            }
            ssl.setSoTimeout(0);
            if (!deadline.stop()) {
                throw new SocketTimeoutException(deadline.reason(null));
            }
            Link link = new Link(peer, ours.protocolVersion(), ssl, tcp, reader, peerCertificate, direction, lastPort);
            LOG.debug("{}: TLS {} with {} established", peer.deviceId(), ssl.getSession().getProtocol(),
                    ssl.getSession().getCipherSuite());
            return link;
        } catch (IOException e) {
            Sockets.closeQuietly(ssl);
            throw new IOException(clearPeer.deviceId() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every TLS server we know of (kdeconnect-kde, Android, GSConnect, Valent, ourselves) writes its identity
     * first and then reads. kdeconnectd 25.04 as TLS server starts reading only after its write, and
     * loses bytes that arrived before: so as TLS client we answer only once its identity is here,
     * which also means it is listening. As TLS server we write first, like everyone else; a client
     * that waits for us (as we do) then cannot deadlock with us.
     */
    private static Identity exchangeIdentities(SSLSocket ssl, LineReader reader, Identity ours, Identity clearPeer,
                                               Link.Direction direction) throws IOException {
        OutputStream out = ssl.getOutputStream();
        byte[] identity = PacketCodec.encode(ours.toPacket());
        boolean tlsServer = direction == Link.Direction.OUTGOING;
        if (tlsServer) {
            out.write(identity);
            out.flush();
        }
        byte[] line = reader.readLine(PacketCodec.MAX_IDENTITY_LINE);
        if (line == null) {
            throw new IOException("closed before sending its identity over TLS");
        }
        if (!tlsServer) {
            out.write(identity);
            out.flush();
        }
        Identity secured;
        try {
            secured = Identity.fromPacket(PacketCodec.decode(line));
        } catch (MalformedPacketException | InvalidIdentityException e) {
            throw new IOException("invalid identity over TLS: " + e.getMessage(), e);
        }
        if (!secured.deviceId().equals(clearPeer.deviceId())
                || secured.protocolVersion() != clearPeer.protocolVersion()) {
            throw new IOException("identity over TLS (" + secured.deviceId() + ", protocol "
                    + secured.protocolVersion() + ") differs from the clear-text one");
        }
        return secured;
    }

    /** Closes a handshake's socket when {@link #HANDSHAKE_DEADLINE_MS} have passed, unless stopped first. */
    private final class Deadline {
        private final Socket socket;
        private final ScheduledFuture<?> closer;
        private volatile boolean expired;

        Deadline(Socket socket) {
            this.socket = socket;
            ScheduledFuture<?> scheduled = null;
            try {
                scheduled = deadlines.schedule(this::expire, HANDSHAKE_DEADLINE_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // The provider is closing: no handshake may outlive it.
                expire();
            }
            this.closer = scheduled;
        }

        private void expire() {
            expired = true;
            Sockets.closeQuietly(socket);
        }

        /** True when the handshake beat the deadline (which no longer applies); false when it expired. */
        boolean stop() {
            // cancel() is false both for a deadline that ran and for one already stopped; only the latter beat it.
            return closer != null && (closer.cancel(false) || closer.isCancelled());
        }

        /** Why the handshake failed: after the deadline closed the socket, reads only say "Socket closed". */
        String reason(Exception e) {
            return expired || e == null ? "handshake not finished within " + HANDSHAKE_DEADLINE_MS / 1000 + " s"
                    : e.getMessage();
        }
    }

    @Override
    public void close() {
        Sockets.closeQuietly(server);
        discovery.close();
        handshakes.shutdownNow();
        connects.shutdownNow();
        preferredConnects.shutdownNow();
        deadlines.shutdownNow();
        failures.flush();
        if (acceptor != null) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void failed(InetAddress from, String reason) {
        failures.failed(from, reason);
        sweepFailuresLater();
    }

    private void sweepFailuresLater() {
        if (failuresSweepDue.compareAndSet(false, true)) {
            try {
                deadlines.schedule(this::sweepFailures, FAILURES_QUIET.toMillis() / 3, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                // The listener closed: flush() told what was left.
            }
        }
    }

    private void sweepFailures() {
        failuresSweepDue.set(false);
        if (failures.sweep()) {
            sweepFailuresLater();
        }
    }

}
