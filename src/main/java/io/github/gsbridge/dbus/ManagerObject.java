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

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
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
        URI uri = lanUri(address);
        InetAddress host = hostOf(uri, address);
        LOG.info("D-Bus: sending our identity to {} ({})", address, host.getHostAddress());
        if (uri.getPort() > 0) {
            daemon.announceTo(host, uri.getPort());
        } else {
            daemon.announceTo(host);
        }
    }

    /**
     * GSConnect's address form {@code lan://HOST[:PORT]}: the identity goes over UDP to PORT, or
     * without one to the discovery port the daemon uses for peers (1716).
     */
    private static URI lanUri(String address) {
        URI uri;
        try {
            uri = new URI(address);
        } catch (URISyntaxException e) {
            throw new Error.InvalidArgument("Connect: \"" + address + "\" is not of the form lan://HOST[:PORT] ("
                    + e.getReason() + ")");
        }
        if (!"lan".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() == 0 || uri.getPort() > 65535
                || (uri.getPath() != null && !uri.getPath().isEmpty()) || uri.getQuery() != null) {
            throw new Error.InvalidArgument("Connect: \"" + address + "\" is not of the form lan://HOST[:PORT]");
        }
        return uri;
    }

    private static InetAddress hostOf(URI uri, String address) {
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new Error.InvalidArgument("Connect: cannot resolve host \"" + host + "\" of " + address);
        }
    }

    @Override
    public DBusPath FindDevice(String nameOrId) {
        List<Device> found = daemon.devices().matching(nameOrId);
        if (found.isEmpty()) {
            throw new Error.UnknownDevice("no device is called \"" + nameOrId + "\"");
        }
        if (found.size() > 1) {
            throw new Error.UnknownDevice("\"" + nameOrId + "\" could be " + found.stream()
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
