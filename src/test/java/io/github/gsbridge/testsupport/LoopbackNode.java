package io.github.gsbridge.testsupport;

import io.github.gsbridge.credentials.IdentityLoader;
import io.github.gsbridge.daemon.Daemon;
import io.github.gsbridge.daemon.DaemonOptions;
import io.github.gsbridge.daemon.PluginCatalog;
import io.github.gsbridge.desktop.DesktopNotifier;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.lan.LanConfig;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginContext;
import io.github.gsbridge.plugin.Plugins;
import io.github.gsbridge.transfer.Transfers;
import io.github.gsbridge.wire.Identity;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * A real daemon in the test's JVM on 127.0.0.1 with its own identity and moved ports: the first
 * port of its range is UDP, the second TCP, the rest payloads. It announces only to loopback.
 */
public record LoopbackNode(String name, Daemon daemon, EventRecorder events, Transfers transfers, Path home,
                           PortRange ports) implements AutoCloseable {
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Daemons on moved ports must accept each other's. */
    public static final PortRange ANY_PORT = new PortRange(1024, 65535);
    public static final Duration WAIT = Duration.ofSeconds(15);

    /** What plugins are built from: the daemon's event bus and its transfers. */
    public record Wiring(EventBus events, Transfers transfers) { }

    /** Ports laid out as described above, announcing to {@code peerUdpPort} on loopback. */
    public static LanConfig lanConfig(PortRange ports, int peerUdpPort) {
        return new LanConfig(ports.first(), peerUdpPort, new PortRange(ports.first() + 1, ports.first() + 1),
                new PortRange(ports.first() + 2, ports.last()), List.of(LOOPBACK), ANY_PORT, ANY_PORT);
    }

    /** A daemon whose files live in {@code home}, with the plugins {@code plugins} builds. */
    public static LoopbackNode start(Path home, String name, PortRange ports, int peerUdpPort,
                                     Function<Wiring, List<Plugin>> plugins) throws Exception {
        return start(home, name, lanConfig(ports, peerUdpPort), ports, plugins);
    }

    /** As above with a LAN configuration of the test's own, e.g. the real payload port range; {@code ports} as above. */
    public static LoopbackNode start(Path home, String name, LanConfig lan, PortRange ports,
                                     Function<Wiring, List<Plugin>> plugins) throws Exception {
        DaemonOptions options = new DaemonOptions(Optional.of(name), "desktop", IdentityLoader.Choice.OWN,
                home.resolve("gsbridge"), home.resolve("gsconnect"), "dconf", lan, false, Set.of(), false,
                OptionalInt.empty());
        EventBus bus = new EventBus();
        EventRecorder events = new EventRecorder(bus);
        Transfers transfers = new Transfers(bus);
        Daemon daemon = Daemon.start(options, bus, transfers,
                new Plugins(plugins.apply(new Wiring(bus, transfers))));
        return new LoopbackNode(name, daemon, events, transfers, home, ports);
    }

    /** A daemon with gsbridge's standard plugins in {@code dir/name}, receiving files into its Downloads. */
    public static LoopbackNode startStandard(Path dir, String name, PortRange ports, int peerUdpPort)
            throws Exception {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("Downloads"));
        return start(home, name, ports, peerUdpPort, wiring -> Plugins.of(PluginCatalog.MODULES, new PluginContext(
                wiring.events(), wiring.transfers(), DesktopNotifier.none(), Set.of(),
                // No system bus: the battery plugin must not read (and send) this machine's UPower.
                Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve(".config").toString(),
                        "DBUS_SYSTEM_BUS_ADDRESS", GsbridgeProcess.NO_SYSTEM_BUS),
                home.resolve("gsbridge"), Optional.empty())).all());
    }

    public String id() {
        return daemon.identity().deviceId();
    }

    public int udpPort() {
        return ports.first();
    }

    public Path downloads() {
        return home.resolve("Downloads");
    }

    /** Our identity as a UDP announcement would carry it, for peers that connect without discovery. */
    public Identity announcement() {
        return daemon.identity().withTcpPort(daemon.tcpPort());
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
