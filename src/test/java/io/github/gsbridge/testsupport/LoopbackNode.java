package io.github.gsbridge.testsupport;

import io.github.gsbridge.credentials.IdentityLoader;
import io.github.gsbridge.daemon.Daemon;
import io.github.gsbridge.daemon.DaemonOptions;
import io.github.gsbridge.desktop.DesktopNotifier;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.lan.LanConfig;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.plugin.Plugins;
import io.github.gsbridge.transfer.Transfers;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One in-process daemon with the standard plugins on loopback with moved ports (own identity,
 * downloads in {@code home/Downloads}), as the D-Bus, CLI and desktop tests use it.
 * {@code ports}: [0] UDP, [1..2] TCP links, [3..] payloads; it announces to {@code peerUdpPort}.
 */
public record LoopbackNode(String name, Daemon daemon, EventRecorder events, Transfers transfers, Path home,
                           PortRange ports) implements AutoCloseable {
    /** The daemons here use moved ports, so they must accept each other's. */
    private static final PortRange ANY_PORT = new PortRange(1024, 65535);
    public static final Duration WAIT = Duration.ofSeconds(15);

    public static LoopbackNode start(Path dir, String name, PortRange ports, int peerUdpPort) throws Exception {
        Path home = dir.resolve(name);
        Path downloads = Files.createDirectories(home.resolve("Downloads"));
        LanConfig lan = new LanConfig(ports.first(), peerUdpPort, new PortRange(ports.first() + 1, ports.first() + 2),
                new PortRange(ports.first() + 3, ports.last()), List.of(InetAddress.getLoopbackAddress()),
                ANY_PORT, ANY_PORT);
        DaemonOptions options = new DaemonOptions(Optional.of(name), "desktop", IdentityLoader.Choice.OWN,
                home.resolve("config"), home.resolve("gsconnect"), "dconf", lan);
        EventBus bus = new EventBus();
        EventRecorder events = new EventRecorder(bus);
        Transfers transfers = new Transfers(bus);
        Plugins plugins = Plugins.standard(bus, transfers, deviceId -> downloads, DesktopNotifier.none(), false);
        return new LoopbackNode(name, Daemon.start(options, bus, plugins), events, transfers, home, ports);
    }

    public String id() {
        return daemon.identity().deviceId();
    }

    public Path downloads() {
        return home.resolve("Downloads");
    }

    public Device device(String id) {
        return daemon.devices().find(id).orElseThrow(() -> new AssertionError(name + " does not know device " + id));
    }

    public void awaitConnected(LoopbackNode peer) throws InterruptedException {
        events.await(DeviceEvent.Connected.class, e -> e.deviceId().equals(peer.id()), WAIT);
    }

    /** Pairs two connected nodes: this one asks, {@code peer} accepts. */
    public void pairWith(LoopbackNode peer) throws Exception {
        device(peer.id()).requestPair();
        peer.events().await(DeviceEvent.PairRequested.class, e -> e.deviceId().equals(id()), WAIT);
        peer.device(id()).acceptPair();
        events.await(DeviceEvent.Paired.class, e -> e.deviceId().equals(peer.id()), WAIT);
        peer.events().await(DeviceEvent.Paired.class, e -> e.deviceId().equals(id()), WAIT);
    }

    @Override
    public void close() {
        daemon.close();
    }
}
