package io.github.gsbridge.daemon;

import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.device.Pairing;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pair requests nobody answers end after 30 s, as in every implementation: ours with a
 * {@code pair:false} to the device, the device's without pairing. Both run side by side, so the
 * test costs one timeout.
 */
class PairingTimeoutTest {
    private static final Duration BEYOND_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SILENT_ID = "5111e47000000000000000000000000a";
    private static final String ASKING_ID = "a5c1160000000000000000000000000b";

    @TempDir
    Path dir;

    @Test
    void unansweredRequestsTimeOutBothWays() throws Exception {
        PortRange alphaPorts = Ports.freeRange(6);
        PortRange silentPorts = Ports.freeRange(4);
        PortRange askingPorts = Ports.freeRange(4);
        try (LoopbackNode alpha = LoopbackNode.start(dir, "alpha", alphaPorts, silentPorts.first(),
                wiring -> List.of(new PingPlugin(wiring.events())));
             RawPeer silent = new RawPeer(LocalCertificate.generate(SILENT_ID), SILENT_ID, 8,
                     LoopbackNode.lanConfig(silentPorts, alphaPorts.first()));
             RawPeer asking = new RawPeer(LocalCertificate.generate(ASKING_ID), ASKING_ID, 8,
                     LoopbackNode.lanConfig(askingPorts, alphaPorts.first()))) {
            silent.announceTo(LoopbackNode.LOOPBACK);
            Link silentLink = silent.awaitLink(WAIT);
            alpha.events().await(DeviceEvent.Connected.class, e -> e.deviceId().equals(SILENT_ID), WAIT);
            // One announcement per second per address is taken; the second peer waits its turn.
            Thread.sleep(1100);
            asking.announceTo(LoopbackNode.LOOPBACK);
            Link askingLink = asking.awaitLink(WAIT);
            alpha.events().await(DeviceEvent.Connected.class, e -> e.deviceId().equals(ASKING_ID), WAIT);

            alpha.device(SILENT_ID).requestPair();
            silent.awaitPacket(p -> p.isType(Pairing.TYPE) && p.body().get("pair").asBoolean(), WAIT);
            Packet request = new Packet(Pairing.TYPE);
            request.body().put("pair", true).put("timestamp", System.currentTimeMillis() / 1000);
            asking.send(askingLink, request);
            alpha.events().await(DeviceEvent.PairRequested.class, e -> e.deviceId().equals(ASKING_ID), WAIT);

            DeviceEvent.PairingFailed ours = alpha.events().await(DeviceEvent.PairingFailed.class,
                    e -> e.deviceId().equals(SILENT_ID), BEYOND_TIMEOUT);
            assertEquals("timed out", ours.reason());
            silent.awaitPacket(p -> p.isType(Pairing.TYPE) && !p.body().get("pair").asBoolean(), WAIT);
            DeviceEvent.PairingFailed theirs = alpha.events().await(DeviceEvent.PairingFailed.class,
                    e -> e.deviceId().equals(ASKING_ID), WAIT);
            assertEquals("timed out", theirs.reason());
            assertFalse(alpha.device(SILENT_ID).isPaired());
            assertFalse(alpha.device(ASKING_ID).isPaired());
            assertEquals(Pairing.State.NOT_PAIRED, alpha.device(ASKING_ID).pairingState());
            assertTrue(silentLink.isOpen() && askingLink.isOpen(), "a timed-out pairing does not cost the link");
        }
    }
}
