package io.github.gsbridge.dbus;

import io.github.gsbridge.Error;
import io.github.gsbridge.daemon.Daemon;
import io.github.gsbridge.daemon.DaemonState;
import io.github.gsbridge.handover.Handover;
import io.github.gsbridge.device.Device;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.gsbridge.lan.PeerAddress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code /io/github/gsbridge}: {@code io.github.gsbridge.Manager1} and the ObjectManager of devices and transfers. */
final class ManagerObject extends BusObject implements Manager1, ObjectManager {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerObject.class);

    private final Daemon daemon;
    private final Optional<Handover> handover;
    private final DbusService service;

    ManagerObject(Daemon daemon, Optional<Handover> handover, DbusService service, DBusConnection bus) {
        super(DbusService.MANAGER_PATH, bus);
        this.daemon = daemon;
        this.handover = handover;
        this.service = service;
        declare(Manager1.NAME, List.of(
                Property.constant("Id", "s", daemon.identity().deviceId()),
                Property.of("Name", "s", () -> daemon.identity().deviceName()),
                Property.of("State", "s", () -> daemon.state().kind().label()),
                Property.of("StateReason", "s", () -> daemon.state().reason()),
                Property.constant("IdentitySource", "s", daemon.localIdentity().source().label()),
                Property.of("TcpPort", "q", () -> new UInt16(
                        daemon.state().kind() == DaemonState.Kind.ACTIVE ? daemon.tcpPort() : 0))));
    }

    @Override
    String introspectionFile() {
        return "io.github.gsbridge.Manager1.xml";
    }

    @Override
    public void Announce() {
        LOG.info("D-Bus: announcing on every network");
        daemon.announce();
    }

    @Override
    public void Release() {
        LOG.info("D-Bus: releasing the KDE Connect ports on request");
        portControl("Release").release();
    }

    @Override
    public void TakeOver() {
        LOG.info("D-Bus: taking the KDE Connect ports on request");
        portControl("TakeOver").takeOver();
    }

    private Handover portControl(String method) {
        return handover.orElseThrow(() -> new Error.Failed(method + ": this gsbridge does not manage its ports "
                + "(it was not started by \"gsbridge daemon\")"));
    }

    @Override
    public void Connect(String address) {
        if (!address.startsWith("lan://")) {
            throw new Error.InvalidArgument("\"" + address + "\" is not of the form lan://HOST[:PORT]");
        }
        PeerAddress peer = peerAddress(address);
        InetAddress host = resolve(peer, address);
        LOG.info("D-Bus: sending our identity to {} ({})", address, host.getHostAddress());
        daemon.announceTo(host, peer.portOr(daemon.options().lan().peerUdpPort()));
    }

    @Override
    public void RememberAddress(String address) {
        PeerAddress peer = peerAddress(address);
        resolve(peer, address);
        try {
            boolean added = daemon.rememberAddress(peer);
            LOG.info("D-Bus: {} {}", added ? "remembering" : "dialling the remembered", peer);
        } catch (IOException e) {
            throw new Error.Failed("cannot remember " + peer + ": " + e.getMessage());
        }
    }

    @Override
    public boolean ForgetAddress(String address) {
        PeerAddress peer = peerAddress(address);
        try {
            boolean removed = daemon.forgetAddress(peer);
            LOG.info("D-Bus: {} {}", removed ? "forgot" : "was not remembering", peer);
            return removed;
        } catch (IOException e) {
            throw new Error.Failed("cannot forget " + peer + ": " + e.getMessage());
        }
    }

    @Override
    public List<String> RememberedAddresses() {
        try {
            return daemon.rememberedAddresses().stream().map(PeerAddress::toString).toList();
        } catch (IOException e) {
            throw new Error.Failed("cannot read the remembered addresses: " + e.getMessage());
        }
    }

    /** {@code HOST[:PORT]}, or GSConnect's {@code lan://HOST[:PORT]}; the port is the device's discovery port. */
    private static PeerAddress peerAddress(String address) {
        try {
            return PeerAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new Error.InvalidArgument(e.getMessage());
        }
    }

    private static InetAddress resolve(PeerAddress peer, String address) {
        try {
            return peer.resolve();
        } catch (UnknownHostException e) {
            throw new Error.InvalidArgument("cannot look up the host \"" + peer.host() + "\" of " + address);
        }
    }

    @Override
    public DBusPath FindDevice(String nameOrId) {
        List<Device> found = daemon.devices().matching(nameOrId);
        if (found.isEmpty()) {
            throw new Error.UnknownDevice("no device is called \"" + nameOrId + "\"");
        }
        if (found.size() > 1) {
            throw new Error.AmbiguousDevice("\"" + nameOrId + "\" could be " + found.stream()
                    .map(d -> d.name() + " (" + d.id() + ")").collect(Collectors.joining(", "))
                    + "; give more of the name, or the id");
        }
        return new DBusPath(service.ensureExported(found.get(0)).getObjectPath());
    }

    @Override
    public Map<DBusPath, Map<String, Map<String, Variant<?>>>> GetManagedObjects() {
        return service.managedObjects();
    }
}
