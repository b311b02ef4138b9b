package io.github.gsbridge.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.credentials.IdentityLoader;
import io.github.gsbridge.daemon.Daemon;
import io.github.gsbridge.daemon.DaemonOptions;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.lan.LanConfig;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.Plugins;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.Pem;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A real daemon in this JVM and a {@link RawPeer} playing an already paired phone, linked over
 * loopback on free ports: for plugin tests that need packets no real peer would send on demand.
 */
public final class LoopbackPhone implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final PortRange ANY_PORT = new PortRange(1024, 65535);
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

        LanConfig lan = new LanConfig(daemonPorts.first(), peerPorts.first(),
                new PortRange(daemonPorts.first() + 1, daemonPorts.first() + 2),
                new PortRange(daemonPorts.first() + 3, daemonPorts.last()), List.of(LOOPBACK), ANY_PORT, ANY_PORT);
        DaemonOptions options = new DaemonOptions(Optional.of("gsbridge-loopback"), "desktop",
                IdentityLoader.Choice.OWN, home, dir.resolve("gsconnect"), "dconf", lan);
        EventBus bus = new EventBus();
        EventRecorder events = new EventRecorder(bus);
        Daemon daemon = Daemon.start(options, bus, new Plugins(plugins.apply(bus)));
        RawPeer peer = null;
        try {
            LanConfig peerLan = new LanConfig(peerPorts.first(), daemonPorts.first(),
                    new PortRange(peerPorts.first() + 1, peerPorts.first() + 1),
                    new PortRange(peerPorts.first() + 2, peerPorts.last()), List.of(LOOPBACK), ANY_PORT, ANY_PORT);
            peer = new RawPeer(peerCertificate, peerId, Daemon.PROTOCOL_VERSION, peerLan, incoming, outgoing);
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
