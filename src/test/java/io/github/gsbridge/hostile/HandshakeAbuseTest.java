package io.github.gsbridge.hostile;

import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.device.Pairing;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Packet;
import io.github.gsbridge.wire.PacketCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peers that abuse the handshake and the line framing: identities past 8 KiB, half identities,
 * identities a byte at a time, hundreds of such connections at once, a 32 MiB line on a
 * paired link and an 8 KiB one on an unpaired link. The daemon drops each, says so, keeps its
 * threads bounded and keeps serving.
 */
class HandshakeAbuseTest {
    /** Longer than the whole handshake may take, so the daemon, not this wait, ends a slow peer. */
    private static final Duration DROP_WAIT = Duration.ofSeconds(40);
    private static final String HALF_IDENTITY = "{\"id\":1,\"type\":\"kdeconnect.identity\",\"body\":{\"deviceId\":\"";

    @TempDir
    Path dir;

    private HostileDaemon daemon;
    private LocalCertificate paired;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        paired = LocalCertificate.generate(LocalCertificate.newDeviceId());
        daemon = HostileDaemon.start(dir, List.of(paired));
    }

    @AfterEach
    void tearDown() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    /** A plain TCP connection to the daemon's link port from {@code source} (any 127.x address). */
    private Socket connect(String source) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), daemon.node.ports().first() + 1));
        return socket;
    }

    /** Waits until the daemon ends the connection: end of stream, or a reset. */
    static void awaitDropped(Socket socket) throws IOException {
        socket.setSoTimeout((int) DROP_WAIT.toMillis());
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // The daemon never answers before an identity; anything it sends is irrelevant here.
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the daemon kept the connection for " + DROP_WAIT, e);
        } catch (SocketException e) {
            // reset: dropped as well
        }
    }

    /** A paired peer that was not linked before links now. */
    private void assertNewPeerLinks() throws Exception {
        LocalCertificate certificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        RawPeer peer = daemon.peer(certificate);
        peer.awaitLink(HostileDaemon.WAIT);
        daemon.awaitConnected(certificate.deviceId());
    }

    @Test
    void anIdentityPastEightKibWithoutNewlineIsRefused() throws Exception {
        Socket socket = connect("127.0.0.1");
        byte[] line = new byte[PacketCodec.MAX_IDENTITY_LINE + 100];
        Arrays.fill(line, (byte) ' ');
        byte[] start = HALF_IDENTITY.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(start, 0, line, 0, start.length);
        try {
            socket.getOutputStream().write(line);
        } catch (SocketException e) {
            // the daemon may drop us before we finish writing
        }
        awaitDropped(socket);
        daemon.log.await(HostileDaemon.WAIT, "refused incoming connection from 127.0.0.1",
                "line longer than " + PacketCodec.MAX_IDENTITY_LINE + " bytes");
        daemon.assertStillServing();
    }

    @Test
    void aHalfIdentityThatStallsIsDroppedAfterTheIdentityTimeout() throws Exception {
        Socket socket = connect("127.0.0.1");
        socket.getOutputStream().write(HALF_IDENTITY.getBytes(StandardCharsets.US_ASCII));
        awaitDropped(socket);
        daemon.log.await(HostileDaemon.WAIT, "refused incoming connection from 127.0.0.1", "timed out");
        daemon.assertStillServing();
    }

    @Test
    void anIdentityTrickledAByteAtATimeIsDroppedAtTheHandshakeDeadline() throws Exception {
        Socket socket = connect("127.0.0.1");
        OutputStream out = socket.getOutputStream();
        out.write(HALF_IDENTITY.getBytes(StandardCharsets.US_ASCII));
        // Each byte comes well within the per-read timeout; at this pace the 8 KiB limit is half an hour away.
        Thread trickler = new Thread(() -> {
            try {
                while (true) {
                    out.write('a');
                    Thread.sleep(250);
                }
            } catch (IOException | InterruptedException e) {
                // dropped by the daemon, or the test is over
            }
        }, "trickler");
        trickler.setDaemon(true);
        trickler.start();
        try {
            awaitDropped(socket);
        } finally {
            trickler.interrupt();
        }
        daemon.log.await(HostileDaemon.WAIT, "refused incoming connection from 127.0.0.1",
                "handshake not finished within");
        daemon.assertStillServing();
    }

    @Test
    void hundredsOfSlowConnectionsNeitherExhaustThreadsNorLockOthersOut() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();
        byte[] half = HALF_IDENTITY.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 200; i++) {
            Socket socket = connect("127.0.0.2");
            try {
                socket.getOutputStream().write(half);
            } catch (SocketException e) {
                // refused and closed at once: what should happen to most of them
            }
        }
        // A peer elsewhere links while they are all still connected.
        assertNewPeerLinks();
        int peak = threads.getThreadCount();
        assertTrue(peak - before <= 24, "threads grew from " + before + " to " + peak + " for 200 connections");
        daemon.log.await(HostileDaemon.WAIT, "refused incoming connection from 127.0.0.2",
                "handshakes from that address in progress");
        for (Socket socket : sockets) {
            awaitDropped(socket);
        }
        daemon.assertStillServing();
        // The first refusal, how many more there were once the reason changed, the first timeout, maybe a slot
        // that freed up while we were still connecting: not a line for each of the 200.
        List<String> lines = daemon.log.matching("from 127.0.0.2");
        assertTrue(lines.size() <= 6, String.join("\n", lines));
        assertFalse(daemon.log.matching("more incoming connections from 127.0.0.2",
                "handshakes from that address in progress").isEmpty(), String.join("\n", lines));
    }

    @Test
    void repeatedFailuresFromOneAddressAreLoggedOnceUntilTheReasonChanges() throws Exception {
        for (int i = 0; i < 10; i++) {
            Socket socket = connect("127.0.0.5");
            socket.getOutputStream().write("not an identity\n".getBytes(StandardCharsets.US_ASCII));
            awaitDropped(socket);
        }
        Socket other = connect("127.0.0.5");
        other.getOutputStream().write(("{\"id\":1,\"type\":\"kdeconnect.ping\",\"body\":{}}\n")
                .getBytes(StandardCharsets.US_ASCII));
        awaitDropped(other);

        String summary = daemon.log.await(HostileDaemon.WAIT, "refused 9 more incoming connections from 127.0.0.5");
        List<String> lines = daemon.log.matching("incoming connection", "from 127.0.0.5");
        assertEquals(3, lines.size(), String.join("\n", lines));
        String first = lines.get(0);
        String reason = first.substring(first.indexOf("127.0.0.5: ") + "127.0.0.5: ".length());
        assertTrue(summary.endsWith("for the same reason: " + reason), summary + " repeats " + first);
        assertTrue(lines.get(2).contains("refused incoming connection from 127.0.0.5: ")
                && !lines.get(2).endsWith(reason), "the new reason is told: " + lines.get(2));
        daemon.assertStillServing();
    }

    @Test
    void aLinkLinePastThirtyTwoMibDropsOnlyThatLink() throws Exception {
        RawPeer attacker = daemon.peer(paired);
        Link link = attacker.awaitLink(HostileDaemon.WAIT);
        daemon.awaitConnected(paired.deviceId());
        byte[] chunk = new byte[1024 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        try {
            for (int i = 0; i < 40 && link.isOpen(); i++) {
                attacker.sendRaw(link, chunk);
            }
        } catch (IOException e) {
            // the daemon closed the link while we were still writing
        }
        attacker.awaitClosed(link, HostileDaemon.WAIT);
        daemon.events().await(DeviceEvent.Disconnected.class, e -> e.deviceId().equals(paired.deviceId()),
                HostileDaemon.WAIT);
        daemon.log.await(HostileDaemon.WAIT, paired.deviceId() + ": closing link: line longer than "
                + PacketCodec.MAX_LINK_LINE + " bytes");
        assertTrue(daemon.node.device(paired.deviceId()).isPaired(), "the pairing is kept");
        daemon.assertStillServing();
    }

    @Test
    void anUnpairedLinkMayNotSendALinePastTheIdentityLimit() throws Exception {
        LocalCertificate stranger = LocalCertificate.generate(LocalCertificate.newDeviceId());
        RawPeer attacker = daemon.peer(stranger);
        Link link = attacker.awaitLink(HostileDaemon.WAIT);
        daemon.awaitConnected(stranger.deviceId());
        attacker.send(link, ping("x".repeat(PacketCodec.MAX_IDENTITY_LINE)));
        attacker.awaitClosed(link, HostileDaemon.WAIT);
        daemon.log.await(HostileDaemon.WAIT, stranger.deviceId() + ": closing link: line longer than "
                + PacketCodec.MAX_IDENTITY_LINE + " bytes");
        daemon.assertStillServing();
    }

    @Test
    void pairingRaisesTheLineLimitAndUnpairingLowersIt() throws Exception {
        LocalCertificate newcomer = LocalCertificate.generate(LocalCertificate.newDeviceId());
        String id = newcomer.deviceId();
        RawPeer peer = daemon.peer(newcomer);
        Link link = peer.awaitLink(HostileDaemon.WAIT);
        daemon.awaitConnected(id);
        Packet request = new Packet(Pairing.TYPE);
        request.body().put("pair", true).put("timestamp", System.currentTimeMillis() / 1000);
        peer.send(link, request);
        daemon.events().await(DeviceEvent.PairRequested.class, e -> e.deviceId().equals(id), HostileDaemon.WAIT);
        daemon.node.device(id).acceptPair();

        String big = "y".repeat(1024 * 1024);
        peer.send(link, ping(big));
        daemon.events().await(PingPlugin.PingReceived.class, p -> p.message().equals(big), HostileDaemon.WAIT);

        daemon.node.device(id).unpair();
        try {
            peer.send(link, ping(big));
        } catch (IOException e) {
            // the daemon closed the link while we were still writing
        }
        peer.awaitClosed(link, HostileDaemon.WAIT);
        daemon.log.await(HostileDaemon.WAIT, id + ": closing link: line longer than "
                + PacketCodec.MAX_IDENTITY_LINE + " bytes");
        daemon.assertStillServing();
    }

    private static Packet ping(String message) {
        Packet ping = new Packet(PingPlugin.TYPE);
        ping.body().put("message", message);
        return ping;
    }

    @Test
    void handshakeTimeoutsLeaveOtherHandshakesAlone() throws Exception {
        // Fewer than the pool's threads: if each waited for the one before, a new peer would wait a minute.
        for (int i = 0; i < 4; i++) {
            connect("127.0.0.3").getOutputStream().write(HALF_IDENTITY.getBytes(StandardCharsets.US_ASCII));
        }
        assertNewPeerLinks();
        assertEquals(4, sockets.size());
    }
}
