package io.github.gsbridge.daemon;

import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.device.Pairing;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.lan.LanConfig;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.plugin.Plugins;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real daemons in this JVM on loopback (own identities, moved ports): discovery, pairing,
 * ping, payloads, persistence, and the trust rules, with the in-repo raw peer as the misbehaving
 * device. kdeconnect interop is in {@code realpeer}.
 */
class LoopbackDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetAddress LOOPBACK = LoopbackNode.LOOPBACK;

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();

    private LoopbackNode start(String name, PortRange ports, int peerUdpPort) throws Exception {
        LoopbackNode node = LoopbackNode.start(dir.resolve(name), name, ports, peerUdpPort,
                wiring -> List.of(new PingPlugin(wiring.events()), new PayloadProbePlugin(wiring.events())));
        running.add(node);
        return node;
    }

    private LoopbackNode[] startPair() throws Exception {
        PortRange a = Ports.freeRange(7);
        PortRange b = Ports.freeRange(7);
        LoopbackNode first = start("alpha", a, b.first());
        LoopbackNode second = start("beta", b, a.first());
        // beta's start-up announcement reaches alpha, which connects.
        first.events().await(DeviceEvent.Connected.class, e -> e.deviceId().equals(second.id()), WAIT);
        second.events().await(DeviceEvent.Connected.class, e -> e.deviceId().equals(first.id()), WAIT);
        return new LoopbackNode[] {first, second};
    }

    /** alpha, and a raw peer claiming {@code claimedId} with a certificate for {@code certificateCn}, linked to it. */
    private record RawSetup(LoopbackNode alpha, RawPeer peer, Link link, PortRange rawPorts) { }

    private RawSetup alphaWithRawPeer(String certificateCn, String claimedId) throws Exception {
        PortRange a = Ports.freeRange(7);
        PortRange raw = Ports.freeRange(4);
        LoopbackNode alpha = start("alpha", a, raw.first());
        RawPeer peer = new RawPeer(LocalCertificate.generate(certificateCn), claimedId, 8,
                LoopbackNode.lanConfig(raw, a.first()));
        running.add(peer);
        peer.announceTo(LOOPBACK);
        return new RawSetup(alpha, peer, peer.awaitLink(WAIT), raw);
    }

    /** Two paired daemons, the second stopped and its disconnection seen by the first (events cleared). */
    private LoopbackNode[] pairedThenSecondStopped() throws Exception {
        LoopbackNode[] nodes = startPair();
        pair(nodes[0], nodes[1]);
        nodes[1].daemon().close();
        nodes[0].events().await(DeviceEvent.Disconnected.class, e -> e.deviceId().equals(nodes[1].id()), WAIT);
        nodes[0].events().clear();
        return nodes;
    }

    private static void pair(LoopbackNode requester, LoopbackNode responder) throws Exception {
        requester.device(responder.id()).requestPair();
        DeviceEvent.PairRequested request = responder.events().await(DeviceEvent.PairRequested.class,
                e -> e.deviceId().equals(requester.id()), WAIT);
        assertEquals(requester.device(responder.id()).pairingState(), Pairing.State.REQUESTED_BY_US);
        responder.device(requester.id()).acceptPair();
        requester.events().await(DeviceEvent.Paired.class, e -> e.deviceId().equals(responder.id()), WAIT);
        responder.events().await(DeviceEvent.Paired.class, e -> e.deviceId().equals(requester.id()), WAIT);
        assertEquals(8, request.verificationKey().length());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : running) {
            closeable.close();
        }
    }

    @Test
    void discoveryPairingAndPingBothWays() throws Exception {
        LoopbackNode[] nodes = startPair();
        LoopbackNode alpha = nodes[0];
        LoopbackNode beta = nodes[1];
        assertFalse(alpha.device(beta.id()).isPaired());
        assertEquals(8, alpha.device(beta.id()).protocolVersion());

        alpha.device(beta.id()).requestPair();
        String keyAtBeta = beta.events().await(DeviceEvent.PairRequested.class,
                e -> e.deviceId().equals(alpha.id()), WAIT).verificationKey();
        assertEquals(Pairing.State.REQUESTED_BY_US, alpha.device(beta.id()).pairingState());
        assertEquals(Optional.of(keyAtBeta), alpha.device(beta.id()).verificationKey(), "both sides show one key");
        assertTrue(keyAtBeta.matches("[0-9A-F]{8}"), keyAtBeta);
        beta.device(alpha.id()).acceptPair();
        alpha.events().await(DeviceEvent.Paired.class, e -> e.deviceId().equals(beta.id()), WAIT);
        assertTrue(beta.device(alpha.id()).isPaired());

        alpha.daemon().plugins().get(PingPlugin.class).ping(alpha.device(beta.id()), Optional.of("hello beta"));
        beta.events().await(PingPlugin.PingReceived.class,
                e -> e.deviceId().equals(alpha.id()) && e.message().equals("hello beta"), WAIT);
        beta.daemon().plugins().get(PingPlugin.class).ping(beta.device(alpha.id()), Optional.empty());
        alpha.events().await(PingPlugin.PingReceived.class,
                e -> e.deviceId().equals(beta.id()) && e.message().isEmpty(), WAIT);

        String store = Files.readString(alpha.home().resolve("gsbridge/devices.json"));
        assertTrue(store.contains(beta.id()) && store.contains("BEGIN CERTIFICATE"), store);
    }

    @Test
    void rejectedRequestLeavesBothUnpaired() throws Exception {
        LoopbackNode[] nodes = startPair();
        nodes[0].device(nodes[1].id()).requestPair();
        nodes[1].events().await(DeviceEvent.PairRequested.class, e -> true, WAIT);
        nodes[1].device(nodes[0].id()).rejectPair();
        DeviceEvent.PairingFailed failed = nodes[0].events().await(DeviceEvent.PairingFailed.class, e -> true, WAIT);
        assertTrue(failed.reason().contains("rejected"), failed.reason());
        assertFalse(nodes[0].device(nodes[1].id()).isPaired());
        assertFalse(nodes[1].device(nodes[0].id()).isPaired());
    }

    @Test
    void unpairIsMutualAndPersistent() throws Exception {
        LoopbackNode[] nodes = startPair();
        pair(nodes[0], nodes[1]);
        nodes[1].device(nodes[0].id()).unpair();
        nodes[0].events().await(DeviceEvent.Unpaired.class, e -> e.deviceId().equals(nodes[1].id()), WAIT);
        assertFalse(Files.readString(nodes[0].home().resolve("gsbridge/devices.json")).contains(nodes[1].id()));
    }

    @Test
    void payloadsArriveWholeInBothDirections() throws Exception {
        LoopbackNode[] nodes = startPair();
        pair(nodes[0], nodes[1]);
        for (int i = 0; i < 2; i++) {
            LoopbackNode sender = nodes[i];
            LoopbackNode receiver = nodes[1 - i];
            byte[] data = new byte[8 * 1024 * 1024 + i];
            new Random(i).nextBytes(data);
            List<Long> progress = new ArrayList<>();
            sender.device(receiver.id()).sendWithPayload(new Packet(PayloadProbePlugin.TYPE),
                    new ByteArrayInputStream(data), data.length, progress::add);
            PayloadProbePlugin.Digest digest = receiver.events().await(PayloadProbePlugin.Digest.class,
                    d -> d.deviceId().equals(sender.id()), WAIT);
            assertEquals(null, digest.error());
            assertEquals(data.length, digest.bytes());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), digest.sha256());
            assertEquals(data.length, progress.get(progress.size() - 1));
            receiver.events().clear();
        }
    }

    @Test
    void pairingSurvivesARestart() throws Exception {
        LoopbackNode[] nodes = pairedThenSecondStopped();
        LoopbackNode alpha = nodes[0];
        String betaId = nodes[1].id();

        LoopbackNode beta = start("beta", nodes[1].ports(), alpha.ports().first());
        assertEquals(betaId, beta.id(), "the identity is kept");
        alpha.events().await(DeviceEvent.Connected.class, e -> e.deviceId().equals(betaId), WAIT);
        beta.awaitConnected(alpha);
        assertTrue(beta.device(alpha.id()).isPaired());
        beta.daemon().plugins().get(PingPlugin.class).ping(beta.device(alpha.id()), Optional.of("back"));
        alpha.events().await(PingPlugin.PingReceived.class, e -> e.message().equals("back"), WAIT);
    }

    @Test
    void unpairedDeviceMayOnlyPair() throws Exception {
        RawSetup raw = alphaWithRawPeer("0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef");
        Packet ping = new Packet(PingPlugin.TYPE);
        ping.body().put("message", "sneaky");
        raw.peer().send(raw.link(), ping);
        Packet answer = raw.peer().awaitPacket(p -> p.isType(Pairing.TYPE), WAIT);
        assertFalse(answer.body().get("pair").asBoolean());
        assertTrue(raw.alpha().events().all(PingPlugin.PingReceived.class).isEmpty(), "the ping was not delivered");
    }

    @Test
    void pairedIdWithAnotherCertificateIsRefused() throws Exception {
        LoopbackNode[] nodes = pairedThenSecondStopped();
        LoopbackNode alpha = nodes[0];
        String betaId = nodes[1].id();

        // Same id, same ports, a certificate of its own: an impostor.
        try (RawPeer impostor = new RawPeer(LocalCertificate.generate(betaId), betaId, 8,
                LoopbackNode.lanConfig(nodes[1].ports(), alpha.ports().first()))) {
            impostor.announceTo(LOOPBACK);
            Link link = impostor.awaitLink(WAIT);
            impostor.awaitClosed(link, WAIT);
            assertFalse(alpha.device(betaId).isReachable());
            assertTrue(alpha.device(betaId).isPaired(), "the real pairing is kept");
            assertTrue(alpha.events().all(DeviceEvent.Connected.class).isEmpty());
        }
    }

    @Test
    void certificateWhoseCnIsNotTheDeviceIdIsRefused() throws Exception {
        RawSetup raw = alphaWithRawPeer("ffffffffffffffffffffffffffffffff", "0123456789abcdef0123456789abcdef");
        raw.peer().awaitClosed(raw.link(), WAIT);
        assertTrue(raw.alpha().events().all(DeviceEvent.Connected.class).isEmpty());
    }

    @Test
    void pairedDeviceThatMissedOurBroadcastIsCalledBack() throws Exception {
        LoopbackNode[] nodes = pairedThenSecondStopped();
        LoopbackNode alpha = nodes[0];
        String betaId = nodes[1].id();

        // beta comes back announcing to a port nobody listens on; only alpha's periodic unicast
        // to beta's last connection can bring the two together.
        int deadPort = Ports.freeRange(1).first();
        LoopbackNode beta = start("beta", nodes[1].ports(), deadPort);
        alpha.events().await(DeviceEvent.Connected.class, e -> e.deviceId().equals(betaId), Duration.ofSeconds(15));
        beta.events().await(DeviceEvent.Connected.class, e -> e.deviceId().equals(alpha.id()), WAIT);
        assertTrue(beta.device(alpha.id()).isPaired());
    }

    @Test
    void overlongLineDropsOnlyThatLink() throws Exception {
        RawSetup raw = alphaWithRawPeer("0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef");
        raw.alpha().events().await(DeviceEvent.Connected.class, e -> true, WAIT);
        byte[] chunk = new byte[1024 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        try {
            for (int i = 0; i < 40 && raw.link().isOpen(); i++) {
                raw.peer().sendRaw(raw.link(), chunk);
            }
        } catch (java.io.IOException expected) {
            // alpha closed the link while we were still writing
        }
        raw.peer().awaitClosed(raw.link(), WAIT);
        raw.alpha().events().await(DeviceEvent.Disconnected.class, e -> true, WAIT);
        raw.peer().close();
        // The daemon is fine: a new peer still gets a link, once the per-address announcement
        // rate limit (one per second from 127.0.0.1) lets it through.
        Thread.sleep(1100);
        try (RawPeer next = new RawPeer(LocalCertificate.generate("1123456789abcdef0123456789abcdef"),
                "1123456789abcdef0123456789abcdef", 8,
                LoopbackNode.lanConfig(raw.rawPorts(), raw.alpha().udpPort()))) {
            next.announceTo(LOOPBACK);
            next.awaitLink(WAIT);
        }
    }

}
