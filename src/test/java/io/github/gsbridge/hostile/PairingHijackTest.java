package io.github.gsbridge.hostile;

import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.device.Pairing;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.testsupport.Stage;
import io.github.gsbridge.tls.Certificates;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.Pem;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stranger on the LAN takes over a pairing in progress: it learns the phone's id from the
 * phone's broadcasts and connects with that id and a certificate of its own (CN = the id, so every
 * certificate check passes). A pair request, its answer and the pinned certificate must all belong
 * to the phone's certificate.
 */
class PairingHijackTest {
    @RegisterExtension
    final Stage<Void> stage = Stage.eachTest();

    private HostileDaemon daemon;

    private static Packet pairRequest() {
        Packet request = accept();
        request.body().put("timestamp", System.currentTimeMillis() / 1000);
        return request;
    }

    private static Packet accept() {
        Packet accept = new Packet(Pairing.TYPE);
        accept.body().put("pair", true);
        return accept;
    }

    /** A phone linked to a daemon that knows nobody, having asked to pair. */
    private HostileDaemon.Linked phoneAskingToPair() throws Exception {
        daemon = stage.track(HostileDaemon.start(stage.dir(), List.of()));
        HostileDaemon.Linked phone = daemon.linkedNewcomer();
        phone.send(pairRequest());
        daemon.events().await(DeviceEvent.PairRequested.class, e -> e.deviceId().equals(phone.id()),
                HostileDaemon.WAIT);
        return phone;
    }

    /** The certificate gsbridge's own pairing store pins for {@code id}, or null. */
    private String pinned(String id) throws Exception {
        Path store = daemon.root.resolve("config/gsbridge/devices.json");
        for (var entry : new com.fasterxml.jackson.databind.ObjectMapper().readTree(store.toFile())) {
            if (entry.path("id").asText().equals(id)) {
                return entry.path("certificatePem").asText();
            }
        }
        return null;
    }

    @Test
    void whileTheUserPairsWithThePhoneAStrangerWithItsIdIsRefusedAndCannotAnswer() throws Exception {
        daemon = stage.track(HostileDaemon.start(stage.dir(), List.of()));
        HostileDaemon.Linked phone = daemon.linkedNewcomer();
        String id = phone.id();
        Device device = daemon.node.device(id);
        device.requestPair();
        phone.peer().awaitPacket(p -> p.isType(Pairing.TYPE), HostileDaemon.WAIT);

        RawPeer attacker = daemon.peer(LocalCertificate.generate(id));
        Link attackerLink = attacker.awaitLink(HostileDaemon.WAIT);
        daemon.log.await(HostileDaemon.WAIT, id + ": refused link", "connected already with another certificate");
        if (attackerLink.isOpen()) {
            try {
                attacker.send(attackerLink, accept());
            } catch (java.io.IOException e) {
                // closed under our feet: refused, as it should be
            }
        }
        attacker.awaitClosed(attackerLink, HostileDaemon.WAIT);
        assertEquals(Pairing.State.REQUESTED_BY_US, device.pairingState(), "the stranger's answer counted");
        assertTrue(device.isReachable());

        phone.send(accept());
        daemon.events().await(DeviceEvent.Paired.class, e -> e.deviceId().equals(id), HostileDaemon.WAIT);
        assertEquals(Certificates.sha256Fingerprint(phone.certificate().certificate()),
                Certificates.sha256Fingerprint(Pem.parseCertificate(pinned(id), "store")),
                "the phone's certificate is pinned");
        daemon.assertPingArrives(phone.peer(), phone.link(), "the real phone");
    }

    @Test
    void whenThePhoneAsksAStrangerWithItsIdCannotTakeItsPlaceBeforeTheUserAccepts() throws Exception {
        HostileDaemon.Linked phone = phoneAskingToPair();
        String id = phone.id();
        Device device = daemon.node.device(id);
        String key = device.verificationKey().orElseThrow();

        RawPeer attacker = daemon.peer(LocalCertificate.generate(id));
        attacker.awaitClosed(attacker.awaitLink(HostileDaemon.WAIT), HostileDaemon.WAIT);
        assertEquals(key, device.verificationKey().orElseThrow(), "the key the user compares never changes");

        device.acceptPair();
        phone.peer().awaitPacket(p -> p.isType(Pairing.TYPE) && p.body().path("pair").asBoolean(), HostileDaemon.WAIT);
        assertEquals(Certificates.sha256Fingerprint(phone.certificate().certificate()),
                Certificates.sha256Fingerprint(Pem.parseCertificate(pinned(id), "store")));
        daemon.assertPingArrives(phone.peer(), phone.link(), "accepted phone");
    }

    @Test
    void aStrangerWhoComesWhileThePhoneIsAwayCancelsTheRequestInsteadOfInheritingIt() throws Exception {
        HostileDaemon.Linked phone = phoneAskingToPair();
        String id = phone.id();
        phone.link().close();
        daemon.events().await(DeviceEvent.Disconnected.class, e -> e.deviceId().equals(id), HostileDaemon.WAIT);

        RawPeer attacker = daemon.peer(LocalCertificate.generate(id));
        Link attackerLink = attacker.awaitLink(HostileDaemon.WAIT);
        daemon.events().await(DeviceEvent.PairingFailed.class, e -> e.deviceId().equals(id), HostileDaemon.WAIT);
        Device device = daemon.node.device(id);
        assertEquals(Pairing.State.NOT_PAIRED, device.pairingState());
        assertThrows(DeviceException.class, device::acceptPair, "nothing left to accept");
        attacker.send(attackerLink, pairRequest());
        long deadline = System.nanoTime() + HostileDaemon.WAIT.toNanos();
        while (daemon.events().all(DeviceEvent.PairRequested.class).size() < 2) {
            assertTrue(System.nanoTime() < deadline, "the stranger's own request is not shown");
            Thread.sleep(20);
        }
        assertFalse(device.isPaired(), "a new request waits for the user like any other");
        assertTrue(pinned(id) == null && Files.exists(daemon.root.resolve("config/gsbridge/devices.json")));
    }
}
