package io.github.gsbridge.hostile;

import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.plugin.notification.NotificationPackets;
import io.github.gsbridge.device.Pairing;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.notification.NotificationPlugin;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.plugin.share.SharePlugin;
import io.github.gsbridge.testsupport.Stage;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Packet;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what: an unpaired device gets nothing delivered and nothing fetched, and a paired
 * device whose pinned certificate is expired (or not yet valid) gets no link. Impostors with
 * another certificate and certificates naming another id are in {@code LoopbackDaemonTest}.
 */
class TrustTest {
    @RegisterExtension
    final Stage<Void> stage = Stage.eachTest();

    private HostileDaemon daemon;

    @Test
    void anUnpairedDeviceGetsNothingDeliveredOrFetched() throws Exception {
        daemon = stage.track(HostileDaemon.start(stage.dir(), List.of()));
        HostileDaemon.Linked stranger = daemon.linkedNewcomer();
        String id = stranger.id();
        try (Bait bait = new Bait(InetAddress.getLoopbackAddress(), 0)) {
            Packet ping = new Packet(PingPlugin.TYPE);
            ping.body().put("message", "let me in");
            Packet text = new Packet(SharePlugin.REQUEST);
            text.body().put("text", "hello");
            Packet file = new Packet(SharePlugin.REQUEST);
            file.body().put("filename", "payload.sh");
            file.withPayload(100, bait.port());
            Packet notification = new Packet(NotificationPackets.NOTIFICATION);
            notification.body().put("id", "n1").put("appName", "evil").put("title", "t").put("text", "x")
                    .put("payloadHash", "0123456789abcdef0123456789abcdef");
            notification.withPayload(100, bait.port());
            for (Packet packet : List.of(ping, text, file, notification)) {
                stranger.send(packet);
            }
            for (String type : List.of(PingPlugin.TYPE, SharePlugin.REQUEST, NotificationPackets.NOTIFICATION)) {
                daemon.log.await(HostileDaemon.WAIT, id, "refused " + type + " from an unpaired device");
            }
            stranger.peer().awaitPacket(p -> p.isType(Pairing.TYPE), HostileDaemon.WAIT);
            assertTrue(stranger.peer().received().stream().filter(p -> p.isType(Pairing.TYPE))
                    .noneMatch(p -> p.body().path("pair").asBoolean(true)), "every answer is pair:false");
            // Each packet was refused (logged above) before any plugin saw it: no fetch can come later.
            assertEquals(0, bait.connections(), "no payload was fetched for an unpaired device");
            daemon.assertStillServing();
        }
        assertTrue(daemon.events().all(PingPlugin.PingReceived.class).stream().noneMatch(p -> p.deviceId().equals(id)));
        assertTrue(daemon.events().all(SharePlugin.TextReceived.class).isEmpty());
        assertTrue(daemon.events().all(NotificationPlugin.NotificationPosted.class).isEmpty());
        assertTrue(stranger.link().isOpen(), "unpaired is not hostile: the device may still ask to pair");
        daemon.assertFiles(List.of());
    }

    /**
     * Each refusal is written under the device's pairing lock; one per packet would let a device
     * that sends without reading fill the link and hold that lock in a blocked write.
     */
    @Test
    void aFloodFromAnUnpairedDeviceIsAnsweredAtMostOnceASecond() throws Exception {
        daemon = stage.track(HostileDaemon.start(stage.dir(), List.of()));
        HostileDaemon.Linked stranger = daemon.linkedNewcomer();
        int packets = 2000;
        long start = System.nanoTime();
        for (int i = 0; i < packets; i++) {
            stranger.send(new Packet(PingPlugin.TYPE));
        }
        long deadline = System.nanoTime() + HostileDaemon.WAIT.toNanos();
        while (daemon.log.matching(stranger.id(), "refused " + PingPlugin.TYPE).size() < packets) {
            assertTrue(System.nanoTime() < deadline, "not all packets refused yet");
            Thread.sleep(20);
        }
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        long answers = stranger.peer().received().stream().filter(p -> p.isType(Pairing.TYPE)).count();
        assertTrue(answers >= 1 && answers <= seconds + 1, answers + " pair:false in " + seconds + " s");
        daemon.assertStillServing();
    }

    @Test
    void aPairedDeviceWithAnExpiredCertificateGetsNoLink() throws Exception {
        Instant now = Instant.now();
        assertRefused(certificate(now.minus(Duration.ofDays(800)), now.minus(Duration.ofDays(1))));
    }

    @Test
    void aPairedDeviceWithACertificateNotYetValidGetsNoLink() throws Exception {
        Instant now = Instant.now();
        assertRefused(certificate(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(800))));
    }

    /** The pinned certificate is exactly the one presented, so only its validity can be the reason. */
    private void assertRefused(LocalCertificate pinned) throws Exception {
        String id = pinned.deviceId();
        daemon = stage.track(HostileDaemon.start(stage.dir(), List.of(pinned)));
        RawPeer peer = daemon.peer(pinned);
        Link link = peer.awaitLink(HostileDaemon.WAIT);
        peer.awaitClosed(link, HostileDaemon.WAIT);
        daemon.log.await(HostileDaemon.WAIT, id + ": refused link from 127.0.0.1",
                "its certificate is expired or not yet valid");
        assertTrue(daemon.events().all(DeviceEvent.Connected.class).stream().noneMatch(e -> e.deviceId().equals(id)));
        assertFalse(daemon.node.device(id).isReachable());
        daemon.assertStillServing();
    }

    /** An EC certificate with CN = a new device id, valid only from {@code notBefore} to {@code notAfter}. */
    private static LocalCertificate certificate(Instant notBefore, Instant notAfter) throws Exception {
        String id = LocalCertificate.newDeviceId();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + id + ",OU=gsbridge,O=gsbridge");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.TEN,
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
        return new LocalCertificate(new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))),
                keys.getPrivate());
    }
}
