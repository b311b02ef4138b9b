package io.github.gsbridge.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.daemon.Daemon;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.Pem;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A real daemon in this JVM and a {@link RawPeer} playing an already paired phone, linked over
 * loopback on free ports: for plugin tests that need packets no real peer would send on demand.
 */
public final class LoopbackPhone implements AutoCloseable {
    private static final InetAddress LOOPBACK = LoopbackNode.LOOPBACK;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Daemon daemon;
    private final EventRecorder events;
    private final RawPeer peer;
    private final Link link;
    private final String peerId;

    private LoopbackPhone(Daemon daemon, EventRecorder events, RawPeer peer, Link link, String peerId) {
        this.daemon = daemon;
        this.events = events;
        this.peer = peer;
        this.link = link;
        this.peerId = peerId;
    }

    /**
     * Starts the daemon under {@code dir} with {@code plugins}, pre-paired with a peer announcing
     * {@code incoming}/{@code outgoing}, and waits until they are linked.
     */
    public static LoopbackPhone start(Path dir, Function<EventBus, List<Plugin>> plugins, Set<String> incoming,
                                      Set<String> outgoing) throws Exception {
        PortRange daemonPorts = Ports.freeRange(7);
        PortRange peerPorts = Ports.freeRange(4);
        String peerId = LocalCertificate.newDeviceId();
        LocalCertificate peerCertificate = LocalCertificate.generate(peerId);
        Path home = dir.resolve("gsbridge");
        Files.createDirectories(home);
        // gsbridge's own pairing store, as after pairing
        new ObjectMapper().writeValue(home.resolve("devices.json").toFile(), List.of(Map.of("id", peerId,
                "name", "RawPeer", "type", "phone", "certificatePem", Pem.encode(peerCertificate.certificate()))));

        LoopbackNode node = LoopbackNode.start(dir, "gsbridge-loopback", daemonPorts, peerPorts.first(),
                wiring -> plugins.apply(wiring.events()));
        Daemon daemon = node.daemon();
        EventRecorder events = node.events();
        RawPeer peer = null;
        try {
            peer = new RawPeer(peerCertificate, peerId, Daemon.PROTOCOL_VERSION,
                    LoopbackNode.lanConfig(peerPorts, daemonPorts.first()), incoming, outgoing);
            peer.announceTo(LOOPBACK);
            Link link = peer.awaitLink(WAIT);
            events.await(DeviceEvent.Connected.class, e -> e.deviceId().equals(peerId), WAIT);
            return new LoopbackPhone(daemon, events, peer, link, peerId);
        } catch (Exception | Error e) {
            if (peer != null) {
                peer.close();
            }
            daemon.close();
            throw e;
        }
    }

    public Daemon daemon() {
        return daemon;
    }

    public EventRecorder events() {
        return events;
    }

    public RawPeer peer() {
        return peer;
    }

    /** The peer's end of the link. */
    public Link link() {
        return link;
    }

    /** The daemon's device for the peer. */
    public Device device() {
        return daemon.devices().find(peerId).orElseThrow();
    }

    public String peerId() {
        return peerId;
    }

    @Override
    public void close() {
        peer.close();
        daemon.close();
    }
}
