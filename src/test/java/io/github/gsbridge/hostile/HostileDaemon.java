package io.github.gsbridge.hostile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.plugin.notification.NotificationPackets;
import io.github.gsbridge.desktop.DesktopNotifier;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.lan.LanConfig;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.notification.NotificationPlugin;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.plugin.share.SharePlugin;
import io.github.gsbridge.testsupport.EventRecorder;
import io.github.gsbridge.testsupport.LogCapture;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.tls.Certificates;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.Pem;
import io.github.gsbridge.wire.Packet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real daemon (ping, share, notification) on loopback with its own download folder, paired
 * beforehand with the certificates a test names, and a well-behaved paired bystander whose pings
 * show that the daemon still serves others while a hostile peer does its worst.
 */
final class HostileDaemon implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(15);
    /** What a phone announces, so the daemon sends and accepts everything these tests use. */
    static final Set<String> CAPABILITIES = Set.of(PingPlugin.TYPE, SharePlugin.REQUEST, SharePlugin.UPDATE,
            NotificationPackets.NOTIFICATION, NotificationPackets.REQUEST, "kdeconnect.pair");

    private static final AtomicLong PINGS = new AtomicLong();

    final LoopbackNode node;
    final Path root;
    final Path downloads;
    final LogCapture log;
    private final RawPeer bystander;
    private final Link bystanderLink;
    private final List<RawPeer> peers = new ArrayList<>();

    private HostileDaemon(LoopbackNode node, Path root, Path downloads, LogCapture log, RawPeer bystander,
                          Link bystanderLink) {
        this.node = node;
        this.root = root;
        this.downloads = downloads;
        this.log = log;
        this.bystander = bystander;
        this.bystanderLink = bystanderLink;
    }

    /** A daemon on the usual loopback layout, paired with {@code paired} (and the bystander). */
    static HostileDaemon start(Path root, List<LocalCertificate> paired) throws Exception {
        // Peers connect without discovery; the daemon's own announcements go to its own port, where it ignores them.
        return start(root, paired, ports -> LoopbackNode.lanConfig(ports, ports.first()));
    }

    /**
     * As above with the LAN configuration {@code lan} makes from the daemon's ports (laid out as
     * {@link LoopbackNode} does): e.g. the real payload port range instead of any port.
     */
    static HostileDaemon start(Path root, List<LocalCertificate> paired, Function<PortRange, LanConfig> lan)
            throws Exception {
        LocalCertificate bystanderCertificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        List<Map<String, String>> store = new ArrayList<>();
        for (LocalCertificate certificate : Stream.concat(paired.stream(), Stream.of(bystanderCertificate)).toList()) {
            String id = Certificates.commonName(certificate.certificate()).orElseThrow();
            store.add(Map.of("id", id, "name", "peer", "type", "phone",
                    "certificatePem", Pem.encode(certificate.certificate())));
        }
        Path config = root.resolve("config");
        Files.createDirectories(config.resolve("gsbridge"));
        new ObjectMapper().writeValue(config.resolve("gsbridge/devices.json").toFile(), store);
        Path downloads = Files.createDirectories(root.resolve("Downloads"));

        LogCapture log = LogCapture.start();
        PortRange ports = Ports.freeRange(7);
        LoopbackNode node = null;
        try {
            node = LoopbackNode.start(config, "gsbridge-hostile", lan.apply(ports), ports, wiring -> List.of(
                    new PingPlugin(wiring.events()),
                    new SharePlugin(wiring.events(), wiring.transfers(), id -> downloads),
                    new NotificationPlugin(wiring.events(), DesktopNotifier.none(), false)));
            RawPeer bystander = connectPeer(node, bystanderCertificate);
            HostileDaemon daemon = new HostileDaemon(node, root, downloads, log, bystander,
                    bystander.awaitLink(WAIT));
            daemon.peers.add(bystander);
            // The peer has its link before the daemon decided on it; tests start from a settled daemon.
            daemon.awaitConnected(Certificates.commonName(bystanderCertificate.certificate()).orElseThrow());
            return daemon;
        } catch (Exception | Error e) {
            if (node != null) {
                node.close();
            }
            log.close();
            throw e;
        }
    }

    private static RawPeer connectPeer(LoopbackNode node, LocalCertificate certificate) throws Exception {
        String id = Certificates.commonName(certificate.certificate()).orElseThrow();
        RawPeer peer = new RawPeer(certificate, id, 8, LoopbackNode.lanConfig(Ports.freeRange(4), node.udpPort()),
                CAPABILITIES, CAPABILITIES);
        try {
            peer.connectTo(LoopbackNode.LOOPBACK, node.announcement());
            peer.awaitLink(WAIT);
            return peer;
        } catch (Exception | Error e) {
            peer.close();
            throw e;
        }
    }

    /** A peer presenting {@code certificate} (its CN as id), linked to the daemon; closed with the daemon. */
    RawPeer peer(LocalCertificate certificate) throws Exception {
        RawPeer peer = connectPeer(node, certificate);
        peers.add(peer);
        return peer;
    }

    /** A peer, the certificate it presents (its CN the device id) and its link to the daemon. */
    record Linked(LocalCertificate certificate, RawPeer peer, Link link) {
        String id() {
            return certificate.deviceId();
        }

        void send(Packet packet) throws IOException {
            peer.send(link, packet);
        }
    }

    /** As {@link #peer}, returning once the daemon has made its trust decision on the link. */
    Linked linked(LocalCertificate certificate) throws Exception {
        RawPeer peer = peer(certificate);
        Link link = peer.awaitLink(WAIT);
        awaitConnected(certificate.deviceId());
        return new Linked(certificate, peer, link);
    }

    /** As {@link #linked} for a device the daemon has never seen. */
    Linked linkedNewcomer() throws Exception {
        return linked(LocalCertificate.generate(LocalCertificate.newDeviceId()));
    }

    /** Waits until the daemon counts the device as connected (its trust decision is made). */
    void awaitConnected(String deviceId) throws InterruptedException {
        events().await(DeviceEvent.Connected.class, e -> e.deviceId().equals(deviceId), WAIT);
    }

    EventRecorder events() {
        return node.events();
    }

    /** The bystander still gets through: its ping arrives. */
    void assertStillServing() throws Exception {
        String message = "still there " + PINGS.incrementAndGet();
        assertPingArrives(bystander, bystanderLink, message);
    }

    /** A ping from {@code peer} on {@code link} arrives at the daemon's ping plugin. */
    void assertPingArrives(RawPeer peer, Link link, String message) throws Exception {
        Packet ping = new Packet(PingPlugin.TYPE);
        ping.body().put("message", message);
        peer.send(link, ping);
        events().await(PingPlugin.PingReceived.class, p -> p.message().equals(message), WAIT);
    }

    /** The download folder's entries, sorted. */
    List<String> downloaded() throws IOException {
        try (Stream<Path> files = Files.list(downloads)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Exactly {@code expected} in the download folder (no temporary or partial file), and no file
     * anywhere under the test's folder but there and in the daemon's own configuration.
     */
    void assertFiles(List<String> expected) throws IOException {
        assertEquals(expected.stream().sorted().toList(), downloaded());
        Path config = root.resolve("config");
        try (Stream<Path> all = Files.walk(root)) {
            List<Path> stray = all.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(config) && !p.getParent().equals(downloads)).toList();
            assertTrue(stray.isEmpty(), "written outside the download folder: " + stray);
        }
    }

    @Override
    public void close() {
        peers.forEach(RawPeer::close);
        node.close();
        log.close();
    }
}
