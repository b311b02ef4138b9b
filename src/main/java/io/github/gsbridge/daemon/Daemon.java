package io.github.gsbridge.daemon;

import io.github.gsbridge.bus.SystemBus;
import io.github.gsbridge.credentials.Dconf;
import io.github.gsbridge.credentials.GsconnectInstallation;
import io.github.gsbridge.credentials.GsconnectPairingStore;
import io.github.gsbridge.credentials.IdentityLoader;
import io.github.gsbridge.credentials.IdentitySource;
import io.github.gsbridge.credentials.LocalIdentity;
import io.github.gsbridge.credentials.ProtocolHistory;
import io.github.gsbridge.desktop.DesktopFace;
import io.github.gsbridge.desktop.DesktopLauncher;
import io.github.gsbridge.desktop.FreedesktopNotifier;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.device.DeviceManager;
import io.github.gsbridge.event.Event;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.lan.LanLinkProvider;
import io.github.gsbridge.lan.NetworkMonitor;
import io.github.gsbridge.lan.PeerAddress;
import io.github.gsbridge.lan.mdns.AvahiMdns;
import io.github.gsbridge.lan.mdns.Mdns;
import io.github.gsbridge.plugin.PluginContext;
import io.github.gsbridge.plugin.Plugins;
import io.github.gsbridge.threads.Threads;
import io.github.gsbridge.tls.CredentialsException;
import io.github.gsbridge.tls.TlsSockets;
import io.github.gsbridge.transfer.Transfer;
import io.github.gsbridge.transfer.Transfers;
import io.github.gsbridge.wire.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The running daemon: plugins, devices, transfers and events live as long as the process; the LAN
 * side (ports, links, our credentials) exists only while {@link DaemonState.Kind#ACTIVE active},
 * so the ports can be handed to GSConnect and taken back without restarting.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /** Protocol we announce; peers announcing 7 get protocol 7 behaviour. */
    public static final int PROTOCOL_VERSION = 8;
    /** GSConnect unicasts to paired but disconnected devices this often, so phones come back without a broadcast. */
    /** In gsbridge's own folder whichever identity is used: GSConnect's dconf has no place for it. */
    private static final String PROTOCOL_HISTORY_FILE = "protocol-versions.json";

    private final DaemonOptions options;
    private final Dconf dconf;
    private final EventBus events;
    private final Transfers transfers;
    private final Plugins plugins;
    private final DeviceManager devices;
    private final ScheduledExecutorService timers;
    private volatile LocalIdentity localIdentity;
    private volatile TlsSockets tls;
    private volatile Identity identity;
    private volatile DaemonState state = new DaemonState(DaemonState.Kind.WAITING, "starting");
    private LanLinkProvider lan;
    /**
     * The identity loaded by create() is still current: an activation straight after start-up
     * need not read it again, one after any wait (GSConnect may have changed its files) must.
     */
    private boolean identityFresh = true;
    /** Resources made for this daemon that end with it (the desktop notifier's bus connection). */
    private final List<AutoCloseable> closeWithDaemon = new CopyOnWriteArrayList<>();
    private final RememberedAddresses remembered;
    private final Dialer dialer;
    private final Mdns mdns;

    private Daemon(DaemonOptions options, Dconf dconf, LocalIdentity localIdentity, TlsSockets tls, EventBus events,
                   Transfers transfers, Plugins plugins) {
        this.options = options;
        this.dconf = dconf;
        this.localIdentity = localIdentity;
        this.tls = tls;
        this.events = events;
        this.transfers = transfers;
        this.plugins = plugins;
        this.identity = identityFor(localIdentity);
        this.devices = new DeviceManager(localIdentity.certificate(), tls, localIdentity.pairings(),
                new ProtocolHistory(options.configDir().resolve(PROTOCOL_HISTORY_FILE)), plugins, events,
                options.lan().payloadPorts(), options.lan().peerPayloadPorts(), options.lan().unpairedIdle());
        this.timers = Executors.newSingleThreadScheduledExecutor(Threads.daemon("daemon-timers"));
        this.dialer = new Dialer(new Dialer.Sender() {
            @Override
            public boolean active() {
                return tcpPort() != 0;
            }

            @Override
            public void send(InetAddress address, int port) {
                announceTo(address, port);
            }
        });
        this.remembered = new RememberedAddresses(options.configDir());
        try {
            remembered.load().forEach(this::dial);
        } catch (IOException e) {
            LOG.warn("not dialling the addresses you gave: {}", e.getMessage());
        }
        this.mdns = options.mdns() ? AvahiMdns.start(SystemBus.address(System.getenv()), new Mdns.Listener() {
            @Override
            public void found(String deviceId, String name, InetAddress address, int port) {
                dialer.add("mdns:" + deviceId, new MdnsPeer(deviceId, name, address, port));
            }

            @Override
            public void lost(String deviceId) {
                dialer.remove("mdns:" + deviceId);
            }
        }) : Mdns.none();
        NetworkMonitor.start(timers, this::networkChanged).ifPresent(closeWithDaemon::add);
        closeWithDaemon.add(events.subscribe(this::followAwayDevices)::run);
        // Known before the D-Bus API is offered and while GSConnect holds the ports, so that devices,
        // watch and GetManagedObjects list them from the start.
        reloadPairings();
    }

    /** Loads the identity and sets everything up, holding no port yet; see {@link #activate()}. */
    public static Daemon create(DaemonOptions options) throws CredentialsException {
        EventBus events = new EventBus();
        Transfers transfers = new Transfers(events);
        Dconf dconf = new Dconf(options.dconfExecutable(), Map.of());
        Optional<GsconnectPairingStore> gsconnect = options.identity() == IdentityLoader.Choice.OWN
                ? Optional.empty() : Optional.of(new GsconnectPairingStore(dconf));
        FreedesktopNotifier desktop = new FreedesktopNotifier();
        Plugins plugins = Plugins.of(PluginCatalog.MODULES, new PluginContext(events, transfers, desktop,
                options.desktopNotifications(), System.getenv(), options.configDir(), gsconnect));
        Daemon daemon = create(options, dconf, events, transfers, plugins);
        DesktopFace face = new DesktopFace(desktop, new DesktopLauncher(), events, daemon.devices()::find,
                options.desktopNotifications());
        daemon.closeWithDaemon.add(face);
        daemon.closeWithDaemon.add(desktop);
        return daemon;
    }

    /** As {@link #create(DaemonOptions)} with a chosen plugin set built on {@code events} and {@code transfers}. */
    public static Daemon create(DaemonOptions options, EventBus events, Transfers transfers, Plugins plugins)
            throws CredentialsException {
        return create(options, new Dconf(options.dconfExecutable(), Map.of()), events, transfers, plugins);
    }

    private static Daemon create(DaemonOptions options, Dconf dconf, EventBus events, Transfers transfers,
                                 Plugins plugins) throws CredentialsException {
        LocalIdentity local = loadIdentity(options, dconf);
        return new Daemon(options, dconf, local, tlsFor(local), events, transfers, plugins);
    }

    /** Creates and activates; fails when the ports cannot be bound. */
    public static Daemon start(DaemonOptions options) throws CredentialsException, IOException {
        return activated(create(options));
    }

    public static Daemon start(DaemonOptions options, EventBus events, Transfers transfers, Plugins plugins)
            throws CredentialsException, IOException {
        return activated(create(options, events, transfers, plugins));
    }

    private static Daemon activated(Daemon daemon) throws CredentialsException, IOException {
        try {
            daemon.activate();
            return daemon;
        } catch (CredentialsException | IOException | RuntimeException e) {
            daemon.close();
            throw e;
        }
    }

    /**
     * Takes the ports: re-reads our identity and pairings (GSConnect may have changed them while
     * it held the ports), binds, and announces us. Does nothing when already active.
     */
    public synchronized void activate() throws CredentialsException, IOException {
        if (lan != null) {
            return;
        }
        LocalIdentity reloaded = identityFresh ? localIdentity : loadIdentity(options, dconf);
        identityFresh = false;
        if (!reloaded.certificate().certificate().equals(localIdentity.certificate().certificate())) {
            LOG.info("our certificate changed to {}; using it from now on", reloaded.deviceId());
            tls = tlsFor(reloaded);
        }
        localIdentity = reloaded;
        identity = identityFor(reloaded);
        devices.replaceCredentials(reloaded.certificate(), tls, reloaded.pairings());
        reloadPairings();
        LanLinkProvider provider = new LanLinkProvider(options.lan(), tls, () -> identity, devices::onLink);
        provider.preferConnectsTo(devices::isPaired);
        provider.start();
        lan = provider;
        setState(DaemonState.Kind.ACTIVE, "listening on TCP " + provider.tcpPort() + " and UDP " + provider.udpPort());
        LOG.info("gsbridge {} \"{}\" ({} identity, protocol {}) is up: TCP {}, UDP {}", identity.deviceId(),
                identity.deviceName(), reloaded.source().label(), identity.protocolVersion(), provider.tcpPort(),
                provider.udpPort());
        provider.announce();
        mdns.publish(identity, provider.udpPort());
        dialer.redialAll("gsbridge took the ports");
    }

    /** Gives the ports back: closes every link and the listeners; devices and transfers stay known. */
    public synchronized void deactivate(String reason) {
        identityFresh = false;
        if (lan != null) {
            mdns.withdraw();
            lan.close();
            lan = null;
            devices.disconnectAll();
            // An upload holds a payload port until its peer fetches it; give those back too.
            transfers.all().stream().filter(t -> !t.isFinished()).forEach(Transfer::cancel);
            LOG.info("released the KDE Connect ports: {}", reason);
        }
        setState(DaemonState.Kind.WAITING, reason);
    }

    /** Records why we are waiting (e.g. who holds the port) without touching anything else. */
    public synchronized void waiting(String reason) {
        identityFresh = false;
        if (lan == null) {
            setState(DaemonState.Kind.WAITING, reason);
        }
    }

    private void setState(DaemonState.Kind kind, String reason) {
        DaemonState next = new DaemonState(kind, reason);
        if (!next.equals(state)) {
            state = next;
            events.publish(new DaemonState.StateChanged(next));
        }
    }

    public Identity identity() {
        return identity;
    }

    public LocalIdentity localIdentity() {
        return localIdentity;
    }

    public DaemonOptions options() {
        return options;
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

    /** Our TCP port while active, 0 otherwise. */
    public synchronized int tcpPort() {
        return lan == null ? 0 : lan.tcpPort();
    }

    /** Broadcasts our identity now, e.g. when the user asks for a refresh. */
    public synchronized void announce() {
        if (lan != null) {
            lan.announce();
        }
    }

    /** Asks the device at this address to connect to us. */
    public synchronized void announceTo(InetAddress address) {
        if (lan != null) {
            lan.announceTo(address);
        }
    }

    /** The same, at the discovery port {@code lan://HOST:PORT} named. */
    public synchronized void announceTo(InetAddress address, int udpPort) {
        if (lan != null) {
            lan.announceTo(address, udpPort);
        }
    }

    /** Announces under a new name (GSConnect's {@code name} key changed). */
    public void rename(String name) {
        String clean = Identity.sanitizeName(name);
        if (clean.isBlank() || clean.equals(identity.deviceName())) {
            return;
        }
        Identity current = identity;
        identity = Identity.of(current.deviceId(), clean, current.deviceType(), current.protocolVersion(),
                current.incomingCapabilities(), current.outgoingCapabilities());
        LOG.info("now called \"{}\"", clean);
        announce();
        synchronized (this) {
            if (lan != null) {
                mdns.publish(identity, lan.udpPort());
            }
        }
    }

    /** An interface came up or got an address: announce on every network and dial every known address now. */
    private synchronized void networkChanged() {
        if (lan == null) {
            return;
        }
        LOG.info("the network changed: announcing us again");
        lan.announce();
        dialer.redialAll("network change");
    }

    /**
     * Remembers {@code address} in gsbridge's config folder and dials it now, at every start and
     * after network changes until it links; false when it was remembered already (it is dialled
     * now all the same).
     */
    public boolean rememberAddress(PeerAddress address) throws IOException {
        boolean added = remembered.add(address);
        dial(address);
        return added;
    }

    /** Stops dialling {@code address}; false when it was not remembered. */
    public boolean forgetAddress(PeerAddress address) throws IOException {
        dialer.remove("address:" + address);
        return remembered.remove(address);
    }

    public List<PeerAddress> rememberedAddresses() throws IOException {
        return remembered.load();
    }

    private void dial(PeerAddress address) {
        dialer.add("address:" + address, new Remembered(address));
    }

    /** An address the user gave; linked when a reachable device's link comes from there. */
    private final class Remembered implements Dialer.Target {
        private final PeerAddress address;

        Remembered(PeerAddress address) {
            this.address = address;
        }

        @Override
        public String label() {
            return address.toString();
        }

        @Override
        public InetAddress resolve() throws UnknownHostException {
            return address.resolve();
        }

        @Override
        public int port() {
            return address.portOr(options.lan().peerUdpPort());
        }

        @Override
        public boolean linked(InetAddress resolved) {
            for (Device device : devices.devices()) {
                if (device.isReachable() && device.lastConnection().map(Daemon::hostOf).filter(resolved::equals)
                        .isPresent()) {
                    return true;
                }
            }
            return false;
        }
    }

    private static InetAddress hostOf(String lanUri) {
        try {
            return PeerAddress.parse(lanUri).resolve();
        } catch (IllegalArgumentException | UnknownHostException e) {
            return null;
        }
    }

    /** A device that publishes itself through mDNS; linked when that device is. */
    private final class MdnsPeer implements Dialer.Target {
        private final String id;
        private final String name;
        private final InetAddress address;
        private final int port;

        MdnsPeer(String id, String name, InetAddress address, int port) {
            this.id = id;
            this.name = name;
            this.address = address;
            this.port = port;
        }

        @Override
        public String label() {
            return name + " (" + id + ", found through mDNS)";
        }

        @Override
        public InetAddress resolve() {
            return address;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public boolean linked(InetAddress resolved) {
            return devices.find(id).filter(Device::isReachable).isPresent();
        }
    }

    /** Re-reads the pairings (the store changed behind our back) and dials paired devices that are away. */
    public void reloadPairings() {
        devices.reloadPairings();
        for (Device device : devices.devices()) {
            if (device.isPaired() && !device.isReachable()) {
                dialer.addIfAbsent(awayKey(device.id()), new AwayDevice(device.id()));
            }
        }
    }

    /** A paired device that leaves is asked to come back; one that is here or unpaired is not. */
    private void followAwayDevices(Event event) {
        if (event instanceof DeviceEvent.Disconnected gone) {
            devices.find(gone.deviceId()).filter(d -> d.id().equals(gone.deviceId()) && d.isPaired())
                    .ifPresent(device -> dialer.addAfterFirstRetry(awayKey(device.id()), new AwayDevice(device.id())));
        } else if (event instanceof DeviceEvent.Connected here) {
            dialer.remove(awayKey(here.deviceId()));
        } else if (event instanceof DeviceEvent.Unpaired unpaired) {
            dialer.remove(awayKey(unpaired.deviceId()));
        }
    }

    private static String awayKey(String deviceId) {
        return "paired:" + deviceId;
    }

    /**
     * A paired device that is not connected, at the address it was last seen at. Nothing is sent
     * there while another connected device uses that address: whoever answers would be that
     * device (DHCP, a reinstalled PC), and each answer would replace its live link.
     */
    private final class AwayDevice implements Dialer.Target {
        private final String id;

        AwayDevice(String id) {
            this.id = id;
        }

        private Optional<Device> device() {
            return devices.find(id).filter(d -> d.id().equals(id));
        }

        @Override
        public String label() {
            return device().map(Device::toString).orElse(id);
        }

        @Override
        public InetAddress resolve() throws UnknownHostException {
            InetAddress address = device().filter(Device::isPaired).flatMap(Device::lastConnection)
                    .map(Daemon::hostOf).orElse(null);
            if (address == null) {
                throw new UnknownHostException("no address known for it");
            }
            return address;
        }

        @Override
        public int port() {
            return options.lan().peerUdpPort();
        }

        @Override
        public boolean linked(InetAddress address) {
            return device().map(Device::isReachable).orElse(true) || devices.connectedAt(address).isPresent();
        }
    }

    private Identity identityFor(LocalIdentity local) {
        String name = Identity.sanitizeName(options.name().or(local::configuredName).orElseGet(Daemon::hostName));
        return Identity.of(local.deviceId(), name.isBlank() ? "gsbridge" : name, options.deviceType(),
                protocolFor(local), plugins.incomingTypes(), plugins.outgoingTypes());
    }

    /**
     * With GSConnect's identity we speak what the installed GSConnect speaks: phones and KDE
     * desktops remember the highest protocol a paired device used and refuse a lower one, so a
     * phone that met us speaking 8 would refuse GSConnect 54 (protocol 7) once it has the ports back.
     */
    private int protocolFor(LocalIdentity local) {
        if (options.protocol().isPresent()) {
            return options.protocol().getAsInt();
        }
        if (local.source() == IdentitySource.GSCONNECT) {
            return Math.min(PROTOCOL_VERSION, GsconnectInstallation.protocolVersion(System.getenv())
                    .orElse(PROTOCOL_VERSION));
        }
        return PROTOCOL_VERSION;
    }

    private static LocalIdentity loadIdentity(DaemonOptions options, Dconf dconf) throws CredentialsException {
        return new IdentityLoader(options.gsconnectDir(), options.configDir(), dconf).load(options.identity());
    }

    private static TlsSockets tlsFor(LocalIdentity local) throws CredentialsException {
        try {
            TlsSockets tls = TlsSockets.create(local.certificate());
            // Peers give us one second from TCP accept to a finished handshake: pay the JIT and key set-up now.
            tls.warmUp();
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new CredentialsException("certificate of " + local.deviceId(), "unusable for TLS: " + e.getMessage(), e);
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
        synchronized (this) {
            if (lan != null) {
                lan.close();
                lan = null;
            }
        }
        timers.shutdownNow();
        dialer.close();
        mdns.close();
        devices.close();
        plugins.close();
        for (AutoCloseable resource : closeWithDaemon) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.debug("closing {}: {}", resource, e.getMessage());
            }
        }
        setState(DaemonState.Kind.STOPPED, "gsbridge stopped");
        LOG.info("gsbridge stopped");
    }
}
