package io.github.gsbridge.daemon;

import io.github.gsbridge.credentials.Dconf;
import io.github.gsbridge.credentials.GsconnectPairingStore;
import io.github.gsbridge.desktop.DesktopNotifier;
import io.github.gsbridge.plugin.share.XdgDownloadDirectories;
import io.github.gsbridge.transfer.Transfers;
import java.util.Optional;
import io.github.gsbridge.credentials.IdentityLoader;
import io.github.gsbridge.credentials.LocalIdentity;
import io.github.gsbridge.device.DeviceManager;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.lan.LanLinkProvider;
import io.github.gsbridge.plugin.Plugins;
import io.github.gsbridge.tls.CredentialsException;
import io.github.gsbridge.tls.TlsSockets;
import io.github.gsbridge.wire.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The running daemon: identity, TLS, plugins, devices and the LAN backend, wired together. */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /** Protocol we announce; peers announcing 7 get protocol 7 behaviour. */
    public static final int PROTOCOL_VERSION = 8;
    /** GSConnect unicasts to paired but disconnected devices this often, so phones come back without a broadcast. */
    private static final long RECONNECT_INTERVAL_SECONDS = 5;

    private final LocalIdentity localIdentity;
    private final Identity identity;
    private final EventBus events;
    private final Transfers transfers;
    private volatile DaemonState state = new DaemonState(DaemonState.Kind.ACTIVE, "");
    private final Plugins plugins;
    private final DeviceManager devices;
    private final LanLinkProvider lan;
    private final ScheduledExecutorService timers;

    private Daemon(LocalIdentity localIdentity, Identity identity, EventBus events, Transfers transfers,
                   Plugins plugins, DeviceManager devices, LanLinkProvider lan, ScheduledExecutorService timers) {
        this.localIdentity = localIdentity;
        this.identity = identity;
        this.events = events;
        this.transfers = transfers;
        this.plugins = plugins;
        this.devices = devices;
        this.lan = lan;
        this.timers = timers;
    }

    /** Loads the identity, binds the ports and announces us; throws when that is impossible. */
    public static Daemon start(DaemonOptions options) throws CredentialsException, IOException {
        EventBus events = new EventBus();
        Transfers transfers = new Transfers(events);
        LocalIdentity local = loadIdentity(options);
        Optional<GsconnectPairingStore> gsconnect = local.pairings() instanceof GsconnectPairingStore store
                ? Optional.of(store) : Optional.empty();
        Plugins plugins = Plugins.standard(events, transfers,
                new XdgDownloadDirectories(System.getenv(), gsconnect), DesktopNotifier.none(), true);
        return start(options, local, events, transfers, plugins);
    }

    /** As {@link #start(DaemonOptions)} with a chosen plugin set publishing to {@code events}. */
    public static Daemon start(DaemonOptions options, EventBus events, Plugins plugins)
            throws CredentialsException, IOException {
        return start(options, loadIdentity(options), events, new Transfers(events), plugins);
    }

    private static LocalIdentity loadIdentity(DaemonOptions options) throws CredentialsException {
        Dconf dconf = new Dconf(options.dconfExecutable(), Map.of());
        return new IdentityLoader(options.gsconnectDir(), options.configDir(), dconf).load(options.identity());
    }

    private static Daemon start(DaemonOptions options, LocalIdentity local, EventBus events, Transfers transfers,
                                Plugins plugins) throws CredentialsException, IOException {
        TlsSockets tls;
        try {
            tls = TlsSockets.create(local.certificate());
        } catch (GeneralSecurityException e) {
            throw new CredentialsException("certificate of " + local.deviceId(), "unusable for TLS: " + e.getMessage(), e);
        }
        // Peers give us one second from TCP accept to a finished handshake: pay the JIT and key set-up now.
        tls.warmUp();

        String name = Identity.sanitizeName(options.name().or(local::configuredName).orElseGet(Daemon::hostName));
        Identity identity = Identity.of(local.deviceId(), name.isBlank() ? "gsbridge" : name, options.deviceType(),
                PROTOCOL_VERSION, plugins.incomingTypes(), plugins.outgoingTypes());

        DeviceManager devices = new DeviceManager(local.certificate(), tls, local.pairings(), plugins, events,
                options.lan().payloadPorts(), options.lan().peerPayloadPorts());
        devices.loadPairings();
        LanLinkProvider lan = new LanLinkProvider(options.lan(), tls, () -> identity, devices::onLink);
        try {
            lan.start();
        } catch (IOException e) {
            devices.close();
            throw e;
        }
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "daemon-timers");
            thread.setDaemon(true);
            return thread;
        });
        Daemon daemon = new Daemon(local, identity, events, transfers, plugins, devices, lan, timers);
        LOG.info("gsbridge {} \"{}\" ({} identity) is up: TCP {}, UDP {}", identity.deviceId(), identity.deviceName(),
                local.source().label(), lan.tcpPort(), lan.udpPort());
        lan.announce();
        timers.scheduleWithFixedDelay(daemon::reconnectPaired, RECONNECT_INTERVAL_SECONDS,
                RECONNECT_INTERVAL_SECONDS, TimeUnit.SECONDS);
        return daemon;
    }

    public Identity identity() {
        return identity;
    }

    public LocalIdentity localIdentity() {
        return localIdentity;
    }

    public EventBus events() {
        return events;
    }

    public Transfers transfers() {
        return transfers;
    }

    public DaemonState state() {
        return state;
    }

    public Plugins plugins() {
        return plugins;
    }

    public DeviceManager devices() {
        return devices;
    }

    public int tcpPort() {
        return lan.tcpPort();
    }

    /** Broadcasts our identity now, e.g. when the user asks for a refresh. */
    public void announce() {
        lan.announce();
    }

    /** Asks the device at this address to connect to us. */
    public void announceTo(InetAddress address) {
        lan.announceTo(address);
    }

    private void reconnectPaired() {
        for (InetAddress address : devices.reconnectTargets()) {
            lan.announceTo(address);
        }
    }

    private static String hostName() {
        try {
            String name = Files.readString(Path.of("/etc/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            LOG.debug("no /etc/hostname: {}", e.getMessage());
        }
        return "gsbridge";
    }

    @Override
    public void close() {
        timers.shutdownNow();
        lan.close();
        devices.close();
        state = new DaemonState(DaemonState.Kind.STOPPED, "gsbridge stopped");
        events.publish(new DaemonState.Changed(state));
        LOG.info("gsbridge stopped");
    }
}
