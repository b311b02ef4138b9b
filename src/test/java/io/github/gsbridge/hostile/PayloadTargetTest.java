package io.github.gsbridge.hostile;

import io.github.gsbridge.lan.LanConfig;
import io.github.gsbridge.plugin.notification.NotificationPackets;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.notification.NotificationPlugin;
import io.github.gsbridge.plugin.share.SharePlugin;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.Packet;
import io.github.gsbridge.wire.PacketCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where a device can make the daemon connect: only to the link's own address, only to the payload
 * ports 1739-1764, and not at all for an icon too large to accept. Listeners on the other ports and
 * addresses count connections; one in range on the right address shows that they would see one.
 */
class PayloadTargetTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private HostileDaemon daemon;
    private LocalCertificate certificate;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        certificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        // The real payload range for peers; everything else as on loopback.
        daemon = HostileDaemon.start(dir, List.of(certificate), ports -> {
            LanConfig loopback = LoopbackNode.lanConfig(ports, ports.first());
            return new LanConfig(loopback.udpPort(), loopback.peerUdpPort(), loopback.tcpPorts(),
                    loopback.payloadPorts(), loopback.broadcastAddresses(), loopback.peerTcpPorts(),
                    LanConfig.DEFAULT_PAYLOAD_PORTS);
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : closing) {
            closeable.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    private Bait bait(String address, int port) throws IOException {
        Bait bait = new Bait(InetAddress.getByName(address), port);
        closing.add(bait);
        return bait;
    }

    /** A port of the payload range that is free on every one of {@code addresses}, with a bait on each. */
    private Map<String, Bait> baitsInRange(String... addresses) throws IOException {
        for (int port = LanConfig.DEFAULT_PAYLOAD_PORTS.first(); port <= LanConfig.DEFAULT_PAYLOAD_PORTS.last(); port++) {
            Map<String, Bait> baits = new LinkedHashMap<>();
            try {
                for (String address : addresses) {
                    baits.put(address, new Bait(InetAddress.getByName(address), port));
                }
                closing.addAll(baits.values());
                return baits;
            } catch (BindException e) {
                for (Bait bait : baits.values()) {
                    bait.close();
                }
            }
        }
        throw new AssertionError("no port of " + LanConfig.DEFAULT_PAYLOAD_PORTS + " is free on " + List.of(addresses));
    }

    private static Packet file(String name, long size, int port) {
        Packet packet = new Packet(SharePlugin.REQUEST);
        packet.body().put("filename", name);
        return packet.withPayload(size, port);
    }

    @Test
    void payloadPortsOutsideTheRangeAreNeverContacted() throws Exception {
        RawPeer peer = daemon.peer(certificate);
        Link link = peer.awaitLink(HostileDaemon.WAIT);
        daemon.awaitConnected(certificate.deviceId());
        Map<Integer, Bait> outside = new LinkedHashMap<>();
        for (int port : new int[] {22, 1716, 1738, 1765, 65535}) {
            outside.put(port, bait("127.0.0.1", port));
        }
        for (int port : outside.keySet()) {
            peer.send(link, file("at-" + port + ".bin", 10, port));
        }
        Packet icon = new Packet(NotificationPackets.NOTIFICATION);
        icon.body().put("id", "n1").put("appName", "a").put("title", "t").put("text", "x")
                .put("payloadHash", "0123456789abcdef0123456789abcdef");
        peer.send(link, icon.withPayload(10, 22));
        // Files are fetched one after another in the order sent: once this one is tried, so were the others.
        Bait control = baitsInRange("127.0.0.1").get("127.0.0.1");
        peer.send(link, file("in-range.bin", 10, control.port()));
        control.awaitConnection();

        for (Map.Entry<Integer, Bait> entry : outside.entrySet()) {
            daemon.log.await(HostileDaemon.WAIT, certificate.deviceId(), SharePlugin.REQUEST + " 'at-" + entry.getKey(),
                    "payload port " + entry.getKey() + " is outside " + LanConfig.DEFAULT_PAYLOAD_PORTS);
        }
        daemon.log.await(HostileDaemon.WAIT, certificate.deviceId(), NotificationPackets.NOTIFICATION,
                "icon not received", "payload port 22 is outside");
        for (Map.Entry<Integer, Bait> entry : outside.entrySet()) {
            assertEquals(0, entry.getValue().connections(), "connections to port " + entry.getKey());
        }
        daemon.assertStillServing();
        daemon.assertFiles(List.of());
    }

    @Test
    void payloadsAreFetchedOnlyFromTheLinksOwnAddress() throws Exception {
        // The device's link comes from 127.0.0.2: it announces itself from there, so the daemon connects there.
        PortRange peerPorts = Ports.freeRange(4);
        String id = certificate.deviceId();
        try (RawPeer peer = new RawPeer(certificate, id, 8, LoopbackNode.lanConfig(peerPorts, daemon.node.udpPort()),
                HostileDaemon.CAPABILITIES, HostileDaemon.CAPABILITIES);
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
            byte[] announcement = PacketCodec.encode(Identity.of(id, "RawPeer", "phone", 8, HostileDaemon.CAPABILITIES,
                    HostileDaemon.CAPABILITIES).withTcpPort(peerPorts.first() + 1).toPacket());
            udp.send(new DatagramPacket(announcement, announcement.length, LOOPBACK, daemon.node.udpPort()));
            Link link = peer.awaitLink(HostileDaemon.WAIT);
            daemon.awaitConnected(id);
            assertEquals("lan://127.0.0.2:" + (peerPorts.first() + 1), daemon.node.device(id).lastConnection().orElseThrow());

            Map<String, Bait> baits = baitsInRange("127.0.0.1", "127.0.0.2", "127.0.0.3");
            int port = baits.get("127.0.0.2").port();
            // Every field a confused implementation might take for a host.
            String packet = "{\"id\":1,\"type\":\"" + SharePlugin.REQUEST + "\",\"body\":{\"filename\":\"elsewhere.bin\","
                    + "\"host\":\"127.0.0.1\",\"address\":\"127.0.0.3\",\"ip\":\"127.0.0.3\"},\"payloadSize\":10,"
                    + "\"payloadTransferInfo\":{\"port\":" + port + ",\"host\":\"127.0.0.3\",\"address\":\"127.0.0.1\"}}\n";
            peer.sendRaw(link, packet.getBytes(StandardCharsets.UTF_8));
            baits.get("127.0.0.2").awaitConnection();
            daemon.log.await(HostileDaemon.WAIT, id, SharePlugin.REQUEST + " 'elsewhere.bin' failed");
            assertEquals(0, baits.get("127.0.0.1").connections(), "never to another device's address");
            assertEquals(0, baits.get("127.0.0.3").connections(), "never to an address from the packet");
        }
        daemon.assertStillServing();
        daemon.assertFiles(List.of());
    }

    @Test
    void anIconAnnouncedAtOneGibIsRefusedBeforeAnyDownload() throws Exception {
        RawPeer peer = daemon.peer(certificate);
        Link link = peer.awaitLink(HostileDaemon.WAIT);
        daemon.awaitConnected(certificate.deviceId());
        Bait bait = baitsInRange("127.0.0.1").get("127.0.0.1");
        Packet icon = new Packet(NotificationPackets.NOTIFICATION);
        icon.body().put("id", "big").put("appName", "a").put("title", "huge icon").put("text", "x")
                .put("payloadHash", "0123456789abcdef0123456789abcdef");
        peer.send(link, icon.withPayload(1L << 30, bait.port()));
        daemon.log.await(HostileDaemon.WAIT, certificate.deviceId(), NotificationPackets.NOTIFICATION,
                "dropped an icon of 1073741824 bytes (limit " + NotificationPlugin.MAX_ICON_BYTES + ")");
        daemon.events().await(NotificationPlugin.NotificationPosted.class,
                n -> n.notification().title().equals("huge icon"), HostileDaemon.WAIT);
        assertEquals(0, bait.connections(), "the icon was never fetched");
        daemon.assertStillServing();
    }
}
