package io.github.gsbridge.hostile;

import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.device.Pairing;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.Packet;
import io.github.gsbridge.wire.PacketCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strangers cost a thread, TLS buffers, a device and its D-Bus object each: at most two from one
 * address and sixteen in all get a link, none of them makes the daemon read its pairing store,
 * and one that does not pair is dropped after the idle limit (a minute; seconds here). Paired
 * devices are never held back.
 */
class UnpairedLinksTest {
    private static final Duration IDLE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private HostileDaemon daemon;
    private final List<RawPeer> strangers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        strangers.forEach(RawPeer::close);
        if (daemon != null) {
            daemon.close();
        }
    }

    private RawPeer stranger() throws Exception {
        LocalCertificate certificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        RawPeer peer = new RawPeer(certificate, certificate.deviceId(), 8,
                LoopbackNode.lanConfig(Ports.freeRange(4), daemon.node.udpPort()), HostileDaemon.CAPABILITIES,
                HostileDaemon.CAPABILITIES);
        strangers.add(peer);
        return peer;
    }

    /** Ids of the strangers the daemon took as connected devices. */
    private Set<String> connectedStrangers() {
        Set<String> ids = strangers.stream().map(RawPeer::deviceId).collect(Collectors.toSet());
        return daemon.events().all(DeviceEvent.Connected.class).stream().map(DeviceEvent.Connected::deviceId)
                .filter(ids::contains).collect(Collectors.toSet());
    }

    /** Waits until the daemon decided on {@code count} strangers: connected, or refused with {@code reason}. */
    private void awaitDecided(int count, String reason) throws InterruptedException {
        long deadline = System.nanoTime() + HostileDaemon.WAIT.toNanos();
        while (connectedStrangers().size() + daemon.log.matching("refused link", reason).size() < count) {
            assertTrue(System.nanoTime() < deadline, "decided on " + connectedStrangers().size() + " connected and "
                    + daemon.log.matching("refused link", reason).size() + " refused of " + count);
            Thread.sleep(50);
        }
    }

    @Test
    void twoStrangersFromOneAddressGetALinkAndNoMore() throws Exception {
        LocalCertificate paired = LocalCertificate.generate(LocalCertificate.newDeviceId());
        daemon = HostileDaemon.start(dir, List.of(paired));
        Identity target = daemon.node.announcement();
        for (int i = 0; i < 10; i++) {
            RawPeer peer = stranger();
            peer.connectTo(LoopbackNode.LOOPBACK, target);
            peer.awaitLink(HostileDaemon.WAIT);
        }
        String reason = "unpaired devices from that address are connected";
        awaitDecided(10, reason);
        assertEquals(2, connectedStrangers().size(), "strangers linked from 127.0.0.1");
        assertEquals(8, daemon.log.matching("refused link from 127.0.0.1", reason).size());

        // A paired device on the same address is not held back.
        daemon.peer(paired);
        daemon.awaitConnected(paired.deviceId());
        daemon.assertStillServing();
    }

    @Test
    void sixteenStrangersInAllGetALink() throws Exception {
        daemon = HostileDaemon.start(dir, List.of());
        InetSocketAddress discovery = new InetSocketAddress(InetAddress.getLoopbackAddress(), daemon.node.udpPort());
        // Each announces itself from an address of its own, so the daemon connects out to each there.
        for (int i = 0; i < 20; i++) {
            RawPeer peer = stranger();
            byte[] announcement = PacketCodec.encode(Identity.of(peer.deviceId(), "RawPeer", "phone", 8,
                    HostileDaemon.CAPABILITIES, HostileDaemon.CAPABILITIES).withTcpPort(peer.tcpPort()).toPacket());
            try (DatagramSocket socket = new DatagramSocket(
                    new InetSocketAddress(InetAddress.getByName("127.0.0." + (10 + i)), 0))) {
                socket.send(new DatagramPacket(announcement, announcement.length, discovery));
            }
        }
        String reason = "unpaired devices are connected";
        awaitDecided(20, reason);
        assertEquals(16, connectedStrangers().size());
        assertEquals(4, daemon.log.matching("refused link", "16 " + reason).size());
        daemon.assertStillServing();
    }

    @Test
    void strangersDoNotMakeTheDaemonReadItsPairingStore() throws Exception {
        daemon = HostileDaemon.start(dir, List.of());
        // Every read of the store would now fail, and say so.
        Files.writeString(dir.resolve("config/gsbridge/devices.json"), "not JSON");
        for (int i = 0; i < 2; i++) {
            RawPeer peer = stranger();
            peer.connectTo(LoopbackNode.LOOPBACK, daemon.node.announcement());
            daemon.awaitConnected(peer.deviceId());
        }
        assertEquals(List.of(), daemon.log.matching("cannot read pairings"));
    }

    private record Linked(RawPeer peer, Link link) { }

    private Linked linkedStrangerOfADaemonWithTheShortIdleLimit() throws Exception {
        daemon = HostileDaemon.start(dir, List.of(),
                ports -> LoopbackNode.lanConfig(ports, ports.first()).withUnpairedIdle(IDLE));
        RawPeer peer = stranger();
        peer.connectTo(LoopbackNode.LOOPBACK, daemon.node.announcement());
        Link link = peer.awaitLink(HostileDaemon.WAIT);
        daemon.awaitConnected(peer.deviceId());
        return new Linked(peer, link);
    }

    @Test
    void aStrangerThatDoesNotPairIsDroppedAfterTheIdleLimit() throws Exception {
        Linked stranger = linkedStrangerOfADaemonWithTheShortIdleLimit();
        RawPeer peer = stranger.peer();
        Link link = stranger.link();
        peer.awaitClosed(link, IDLE.plus(HostileDaemon.WAIT));
        daemon.log.await(HostileDaemon.WAIT, peer.deviceId(),
                "closing link: not paired, and no pairing started within " + IDLE.toSeconds() + " s");
        daemon.events().await(DeviceEvent.Disconnected.class, e -> e.deviceId().equals(peer.deviceId()),
                HostileDaemon.WAIT);
        daemon.assertStillServing();
    }
    @Test
    void aStrangerWhosePairRequestIsPendingOutlastsTheIdleLimit() throws Exception {
        Linked stranger = linkedStrangerOfADaemonWithTheShortIdleLimit();
        RawPeer peer = stranger.peer();
        Link link = stranger.link();
        Packet request = new Packet(Pairing.TYPE);
        request.body().put("pair", true).put("timestamp", System.currentTimeMillis() / 1000);
        peer.send(link, request);
        daemon.events().await(DeviceEvent.PairRequested.class, e -> e.deviceId().equals(peer.deviceId()),
                HostileDaemon.WAIT);

        // Twice the limit, well within the 30 s the request lasts: the user may still be comparing keys.
        Thread.sleep(IDLE.multipliedBy(2).plusMillis(500).toMillis());
        assertTrue(link.isOpen(), "the link of a device asking to pair is kept");
        assertEquals(Pairing.State.REQUESTED_BY_PEER, daemon.node.device(peer.deviceId()).pairingState());
        assertEquals(List.of(), daemon.log.matching(peer.deviceId(), "no pairing started"));
    }
}
