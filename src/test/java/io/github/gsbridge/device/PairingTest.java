package io.github.gsbridge.device;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.LogCapture;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.tls.Certificates;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.Pem;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pairing as the real peers do it: timestamps written as strings, requests that outlive the link
 * they came on, packets sent the moment pairing completes, protocol 7's fingerprints, and no way
 * back to an older protocol once paired. The desktop ("desk") is a real daemon on loopback; the
 * phones are in-repo raw peers.
 */
class PairingTest {
    private static final Duration WAIT = LoopbackNode.WAIT;
    private static final Set<String> CAPABILITIES = Set.of(PingPlugin.TYPE, Pairing.TYPE);

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private LoopbackNode desk;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    private LoopbackNode startDesk() throws Exception {
        desk = LoopbackNode.start(dir.resolve("desk"), "desk", Ports.freeRange(7), Ports.freeRange(1).first(),
                wiring -> List.of(new PingPlugin(wiring.events())));
        running.add(desk);
        return desk;
    }

    /** A phone with a certificate of its own speaking {@code protocol}, linked to the desk. */
    private Phone newPhone(int protocol) throws Exception {
        return phone(LocalCertificate.generate(LocalCertificate.newDeviceId()), protocol);
    }

    /** A phone speaking {@code protocol}, linked to the desk. */
    private Phone phone(LocalCertificate certificate, int protocol) throws Exception {
        String id = Certificates.commonName(certificate.certificate()).orElseThrow();
        RawPeer peer = new RawPeer(certificate, id, protocol, LoopbackNode.lanConfig(Ports.freeRange(4), desk.udpPort()),
                CAPABILITIES, CAPABILITIES);
        running.add(peer);
        Phone phone = new Phone(id, certificate, peer);
        phone.connect();
        return phone;
    }

    private final class Phone {
        final String id;
        final LocalCertificate certificate;
        final RawPeer peer;
        Link link;

        Phone(String id, LocalCertificate certificate, RawPeer peer) {
            this.id = id;
            this.certificate = certificate;
            this.peer = peer;
        }

        /** Opens a new link to the desk (the old one, if any, stays as it is) and waits until the desk took it. */
        void connect() throws Exception {
            Link before = link;
            desk.events().clear();
            peer.connectTo(LoopbackNode.LOOPBACK, desk.announcement());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while ((link = peer.awaitLink(WAIT)) == before) {
                assertTrue(System.nanoTime() < deadline, "no new link");
                Thread.sleep(10);
            }
            desk.events().await(DeviceEvent.Connected.class, e -> e.deviceId().equals(id), WAIT);
        }

        void askToPair(Object timestamp) throws Exception {
            Packet request = Pairing.pairPacket(true);
            if (timestamp instanceof String text) {
                request.body().put("timestamp", text);
            } else if (timestamp instanceof Long number) {
                request.body().put("timestamp", number);
            }
            peer.send(link, request);
            desk.events().await(DeviceEvent.PairRequested.class, e -> e.deviceId().equals(id), WAIT);
        }

        Packet awaitPairAnswer() throws InterruptedException {
            return peer.awaitPacket(p -> p.isType(Pairing.TYPE) && p.body().path("pair").asBoolean(), WAIT);
        }

        Device onDesk() {
            return desk.device(id);
        }

        /** The user accepts on the desk; the phone gets the answer and the desk counts it as paired. */
        void acceptOnDesk() throws Exception {
            onDesk().acceptPair();
            awaitPairAnswer();
            assertTrue(onDesk().isPaired());
        }

        /** Closes the phone's link and waits until the desk saw it go. */
        void drop() throws InterruptedException {
            link.close();
            desk.events().await(DeviceEvent.Disconnected.class, e -> e.deviceId().equals(id), WAIT);
        }
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** The certificate the desk stored for {@code id}, from its own pairing file. */
    private String pinned(String id) throws Exception {
        Path file = desk.home().resolve("gsbridge/devices.json");
        if (!Files.exists(file)) {
            return null;
        }
        for (Map<?, ?> entry : new ObjectMapper().readValue(file.toFile(), Map[].class)) {
            if (id.equals(entry.get("id"))) {
                return (String) entry.get("certificatePem");
            }
        }
        return null;
    }

    @Test
    void aProtocol8RequestWithItsTimestampAsAStringIsShownWithTheKey() throws Exception {
        startDesk();
        Phone phone = newPhone(8);
        long timestamp = now();
        // kdeconnectd 25.04 writes {"pair":true,"timestamp":"1796419949"}
        phone.askToPair(Long.toString(timestamp));
        String expected = VerificationKey.of(phone.link.peerCertificate().getPublicKey(),
                phone.certificate.certificate().getPublicKey(), timestamp);
        assertEquals(expected, desk.events().all(DeviceEvent.PairRequested.class).get(0).verificationKey());
        assertEquals(Pairing.State.REQUESTED_BY_PEER, phone.onDesk().pairingState());
        phone.acceptOnDesk();
    }

    @Test
    void aRequestSurvivesTheDeviceReconnectingBeforeTheUserAnswers() throws Exception {
        startDesk();
        Phone phone = newPhone(8);
        phone.askToPair(now());
        String key = phone.onDesk().verificationKey().orElseThrow();
        // The phone's link drops (Wi-Fi roaming, a refresh) and it comes back on a new one.
        phone.drop();
        phone.connect();
        assertEquals(Pairing.State.REQUESTED_BY_PEER, phone.onDesk().pairingState());
        assertEquals(key, phone.onDesk().verificationKey().orElseThrow(), "the key the user reads stays the same");
        phone.acceptOnDesk();
        assertEquals(Pem.encode(phone.certificate.certificate()), pinned(phone.id));
        assertTrue(desk.events().all(DeviceEvent.PairingFailed.class).isEmpty());
    }

    @Test
    void aRequestSurvivesTheDeviceOpeningANewLinkBesideTheOld() throws Exception {
        startDesk();
        Phone phone = newPhone(8);
        phone.askToPair(now());
        // kdeconnect-cli --refresh: the peer connects again while the old link is still up.
        phone.connect();
        phone.acceptOnDesk();
    }

    /**
     * kdeconnectd sends its plugins' packets to a device it just unpaired; each is refused with
     * pair:false. Our user's pair request made meanwhile must not be followed by one of those
     * refusals: kdeconnectd takes it as "cancelled by the other side" (seen with kdeconnectd 25.04).
     */
    @Test
    void noRefusalFollowsOurPairRequest() throws Exception {
        startDesk();
        // Refusals go out at most once a second: the request is made around the moments the next one is
        // due, one phone per moment, so that a refusal decided just before it is being written with it.
        for (long afterFirstRefusal : new long[] {970, 990, 1010, 1030, 1050, 1070}) {
            Phone phone = newPhone(8);
            AtomicBoolean flooding = new AtomicBoolean(true);
            Thread flood = new Thread(() -> {
                try {
                    while (flooding.get() && phone.link.isOpen()) {
                        phone.peer.send(phone.link, new Packet(PingPlugin.TYPE));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // Other packets of ours on the link hold its writes up, as kdeconnectd's plugin start-up did.
            Thread busyLink = new Thread(() -> {
                Packet filler = new Packet("kdeconnect.test.filler");
                filler.body().put("text", "x".repeat(64 * 1024));
                try {
                    while (flooding.get()) {
                        phone.onDesk().sendUnchecked(filler);
                    }
                } catch (DeviceException e) {
                    throw new IllegalStateException(e);
                }
            });
            flood.start();
            busyLink.start();
            phone.peer.awaitPacket(p -> p.isType(Pairing.TYPE), WAIT);
            Thread.sleep(afterFirstRefusal);
            phone.onDesk().requestPair();
            Thread.sleep(300);
            flooding.set(false);
            flood.join();
            busyLink.join();
            phone.awaitPairAnswer();
            Thread.sleep(300);
            List<Boolean> answers = phone.peer.received().stream().filter(p -> p.isType(Pairing.TYPE))
                    .map(p -> p.body().path("pair").asBoolean()).toList();
            assertEquals(List.of(true), answers.subList(answers.indexOf(true), answers.size()),
                    "after our request only the request itself (request " + afterFirstRefusal
                            + " ms after the first refusal arrived)");
            phone.drop();
        }
    }

    /**
     * kdeconnectd 25.04 moves its link object to the new socket and deletes it when the old socket
     * closes; closing the old link before it read our identity on the new one cost the new link and,
     * with it, the device and its pair request (1 run in 6 of the real-peer test).
     */
    @Test
    void aReplacedLinkIsLeftForThePeerToCloseForAWhile() throws Exception {
        startDesk();
        Phone phone = newPhone(8);
        phone.askToPair(now());
        Link old = phone.link;
        phone.connect();
        Thread.sleep(300);
        assertTrue(old.isOpen(), "the replaced link is still open shortly after");
        phone.peer.awaitClosed(old, WAIT);
        assertTrue(phone.link.isOpen(), "the new link is kept");
        phone.acceptOnDesk();
    }

    /** The device closing its replaced link is how a reconnection ends, not a lost link. */
    @Test
    void aReplacedLinkTheDeviceClosesIsNotReportedLost() throws Exception {
        startDesk();
        try (LogCapture log = LogCapture.start()) {
            Phone phone = newPhone(8);
            Link old = phone.link;
            phone.connect();
            old.close();
            Thread.sleep(500);
            assertEquals(List.of(), log.matching(phone.id, "link lost"));
            assertTrue(phone.onDesk().isReachable(), "the new link is kept");
        }
    }

    @Test
    void ourRequestSurvivesTheDeviceReconnectingAndItsAcceptOnTheNewLinkPairs() throws Exception {
        startDesk();
        Phone phone = newPhone(8);
        phone.onDesk().requestPair();
        phone.peer.awaitPacket(p -> p.isType(Pairing.TYPE), WAIT);
        phone.drop();
        phone.connect();
        phone.peer.send(phone.link, Pairing.pairPacket(true));
        desk.events().await(DeviceEvent.Paired.class, e -> e.deviceId().equals(phone.id), WAIT);
        assertEquals(Pem.encode(phone.certificate.certificate()), pinned(phone.id));
    }

    @Test
    void aPacketSentTheMomentTheAcceptArrivesIsDelivered() throws Exception {
        startDesk();
        try (LogCapture log = LogCapture.start()) {
            for (int round = 0; round < 5; round++) {
                Phone phone = newPhone(8);
                phone.askToPair(now());
                // Answer from the desk's side on another thread; the phone pings as soon as it reads it.
                Thread accept = new Thread(() -> {
                    try {
                        phone.onDesk().acceptPair();
                    } catch (DeviceException e) {
                        throw new AssertionError(e);
                    }
                });
                accept.start();
                phone.awaitPairAnswer();
                Packet ping = new Packet(PingPlugin.TYPE);
                ping.body().put("message", "first " + round);
                phone.peer.send(phone.link, ping);
                String message = "first " + round;
                desk.events().await(PingPlugin.PingReceived.class, p -> p.message().equals(message), WAIT);
                accept.join();
            }
            assertTrue(log.matching("refused kdeconnect.ping").isEmpty(), () -> String.valueOf(log.matching("refused")));
        }
    }

    @Test
    void aProtocol7DeviceIsShownBothFingerprintsNotAKey() throws Exception {
        startDesk();
        Phone phone = newPhone(7);
        phone.askToPair(null);
        assertEquals("", desk.events().all(DeviceEvent.PairRequested.class).get(0).verificationKey());
        assertTrue(phone.onDesk().verificationKey().isEmpty());
        String info = phone.onDesk().encryptionInfo();
        assertTrue(info.contains("our fingerprint " + Certificates.sha256Fingerprint(phone.link.peerCertificate())), info);
        assertTrue(info.contains("device fingerprint " + Certificates.sha256Fingerprint(phone.certificate.certificate())),
                info);
    }

    @Test
    void aPairedDeviceThatSpokeProtocol8IsRefusedWhenItComesBackWith7() throws Exception {
        startDesk();
        LocalCertificate certificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        Phone modern = phone(certificate, 8);
        modern.askToPair(now());
        modern.acceptOnDesk();
        modern.drop();

        assertDowngradeRefused(certificate, modern.id);
        assertFalse(modern.onDesk().isReachable());

        // Remembered across a restart, whatever the pairing store is.
        desk.close();
        running.remove(desk);
        LoopbackNode restarted = LoopbackNode.start(dir.resolve("desk"), "desk", desk.ports(), Ports.freeRange(1).first(),
                wiring -> List.of(new PingPlugin(wiring.events())));
        running.add(restarted);
        desk = restarted;
        assertDowngradeRefused(certificate, modern.id);
        // The same device at its own version still gets in.
        phone(certificate, 8);
        assertTrue(desk.device(modern.id).isReachable());
    }

    /** The device with {@code certificate} comes back announcing protocol 7: its link is closed, and the log says why. */
    private void assertDowngradeRefused(LocalCertificate certificate, String id) throws Exception {
        try (LogCapture log = LogCapture.start()) {
            RawPeer downgraded = new RawPeer(certificate, id, 7,
                    LoopbackNode.lanConfig(Ports.freeRange(4), desk.udpPort()), CAPABILITIES, CAPABILITIES);
            running.add(downgraded);
            downgraded.connectTo(LoopbackNode.LOOPBACK, desk.announcement());
            downgraded.awaitClosed(downgraded.awaitLink(WAIT), WAIT);
            log.await(WAIT, id + ": refused link", "spoke protocol 8 before and now announces 7");
        }
    }

    @Test
    void anUnpairedDeviceMayComeBackWithAnyVersion() throws Exception {
        startDesk();
        LocalCertificate certificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        Phone modern = phone(certificate, 8);
        modern.askToPair(now());
        modern.acceptOnDesk();
        modern.onDesk().unpair();
        modern.drop();
        Phone old = phone(certificate, 7);
        assertTrue(old.onDesk().isReachable());
    }

    @Test
    void acceptingARequestThatNobodyMadeFails() throws Exception {
        startDesk();
        Phone phone = newPhone(8);
        assertThrows(DeviceException.class, () -> phone.onDesk().acceptPair());
    }

    @Test
    void whatMayBeSentFollowsPairingThenReachabilityThenTheDevicesCapabilities() throws Exception {
        startDesk();
        Phone phone = newPhone(8);
        assertThrows(DeviceException.NotPaired.class, () -> phone.onDesk().requireAccepts(PingPlugin.TYPE));
        phone.askToPair(now());
        phone.acceptOnDesk();
        phone.onDesk().requireAccepts(PingPlugin.TYPE);
        DeviceException refused = assertThrows(DeviceException.class,
                () -> phone.onDesk().requireAccepts("kdeconnect.share.request"));
        assertEquals(DeviceException.class, refused.getClass());
        assertEquals(phone.id + " does not accept kdeconnect.share.request", refused.getMessage());
        phone.drop();
        assertThrows(DeviceException.NotReachable.class, () -> phone.onDesk().requireAccepts(PingPlugin.TYPE));
    }
}
