package io.github.gsbridge.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.device.Pairing;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.Pem;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.PacketCodec;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Paired devices that are away are asked to come back at the address they were last seen at,
 * but never where another device is connected now: that device would answer, and each answer
 * would replace its live link (and once dropped its pending pair request).
 */
class AwayDevicesTest {
    private static final Duration WAIT = LoopbackNode.WAIT;

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();
    /** Stands for the discovery port of whatever device is at 127.0.0.1: what the daemon sends there arrives here. */
    private DatagramSocket discovery;
    private LoopbackNode desk;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    private void startDesk() throws Exception {
        discovery = new DatagramSocket(new InetSocketAddress(LoopbackNode.LOOPBACK, 0));
        running.add(discovery);
        desk = LoopbackNode.start(dir.resolve("desk"), "desk", Ports.freeRange(7), discovery.getLocalPort(),
                wiring -> List.of(new PingPlugin(wiring.events())));
        running.add(desk);
    }

    /** Records a paired device last seen at 127.0.0.1 and lets the daemon pick it up. */
    private String pairAwayDevice() throws Exception {
        LocalCertificate away = LocalCertificate.generate(LocalCertificate.newDeviceId());
        Path store = desk.home().resolve("gsbridge/devices.json");
        new ObjectMapper().writeValue(store.toFile(), List.of(Map.of("id", away.deviceId(), "name", "away",
                "type", "phone", "certificatePem", Pem.encode(away.certificate()),
                "lastConnection", "lan://127.0.0.1:1716")));
        desk.daemon().reloadPairings();
        return away.deviceId();
    }

    /** Our identities that arrive at {@link #discovery} within {@code window}. */
    private List<Identity> announcements(Duration window) throws Exception {
        List<Identity> received = new ArrayList<>();
        long end = System.nanoTime() + window.toNanos();
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return received;
            }
            discovery.setSoTimeout((int) left);
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            try {
                discovery.receive(datagram);
            } catch (SocketTimeoutException e) {
                return received;
            }
            received.add(Identity.fromPacket(PacketCodec.decode(Arrays.copyOf(datagram.getData(), datagram.getLength()))));
        }
    }

    @Test
    void anAwayDeviceIsAskedToComeBack() throws Exception {
        startDesk();
        announcements(Duration.ofSeconds(1));
        pairAwayDevice();
        assertEquals(desk.id(), announcements(Duration.ofSeconds(3)).stream().findFirst()
                .orElseThrow(() -> new AssertionError("the away device was not asked")).deviceId());
    }

    @Test
    void anAddressAnotherConnectedDeviceUsesIsLeftAlone() throws Exception {
        startDesk();
        LocalCertificate phoneCertificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        RawPeer phone = new RawPeer(phoneCertificate, phoneCertificate.deviceId(), 8,
                LoopbackNode.lanConfig(Ports.freeRange(4), desk.udpPort()), Set.of(Pairing.TYPE), Set.of(Pairing.TYPE));
        running.add(phone);
        phone.connectTo(LoopbackNode.LOOPBACK, desk.announcement());
        Link link = phone.awaitLink(WAIT);
        desk.events().await(DeviceEvent.Connected.class, e -> e.deviceId().equals(phoneCertificate.deviceId()), WAIT);
        Packet request = new Packet(Pairing.TYPE);
        request.body().put("pair", true).put("timestamp", System.currentTimeMillis() / 1000);
        phone.send(link, request);
        desk.events().await(DeviceEvent.PairRequested.class, e -> true, WAIT);
        announcements(Duration.ofSeconds(1));

        pairAwayDevice();
        // Longer than the first retry: nothing goes to the phone's address in that time.
        assertEquals(List.of(), announcements(Duration.ofSeconds(7)));
        assertTrue(link.isOpen());
        assertEquals(Pairing.State.REQUESTED_BY_PEER, desk.device(phoneCertificate.deviceId()).pairingState());
        assertTrue(Files.exists(desk.home().resolve("gsbridge/devices.json")));
    }
}
