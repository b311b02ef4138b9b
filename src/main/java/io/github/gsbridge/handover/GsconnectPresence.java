package io.github.gsbridge.handover;

import io.github.gsbridge.bus.SessionBus;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Watches whether GSConnect's service owns its name on the session bus. Only NameHasOwner and
 * NameOwnerChanged are used: nothing here can D-Bus-activate GSConnect.
 */
final class GsconnectPresence implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GsconnectPresence.class);
    static final String BUS_NAME = "org.gnome.Shell.Extensions.GSConnect";

    private final DBusConnection connection;
    private volatile boolean present;

    private GsconnectPresence(DBusConnection connection) {
        this.connection = connection;
    }

    /** Starts watching; empty when there is no session bus (then nobody can tell us about GSConnect). */
    static Optional<GsconnectPresence> watch(Consumer<Boolean> onChange) {
        // Without an address dbus-java falls back to X11 autolaunch and reports a missing DISPLAY,
        // which tells the user nothing; the daemon already said that there is no session bus.
        Optional<String> address = SessionBus.address(System.getenv());
        if (address.isEmpty()) {
            LOG.info("without a session bus gsbridge cannot see GSConnect; it takes the ports whenever they are free");
            return Optional.empty();
        }
        DBusConnection connection;
        try {
            connection = SessionBus.connect(address.get());
        } catch (DBusException | RuntimeException e) {
            LOG.warn("cannot connect to the session bus at {} ({}): cannot watch for GSConnect; the ports are taken "
                    + "whenever they are free", address.get(), e.getMessage());
            return Optional.empty();
        }
        GsconnectPresence presence = new GsconnectPresence(connection);
        try {
            connection.addSigHandler(DBus.NameOwnerChanged.class, signal -> {
                if (BUS_NAME.equals(signal.name)) {
                    boolean now = !signal.newOwner.isEmpty();
                    presence.present = now;
                    onChange.accept(now);
                }
            });
            DBus bus = connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            presence.present = bus.NameHasOwner(BUS_NAME);
        } catch (DBusException | RuntimeException e) {
            LOG.warn("cannot watch for GSConnect on the session bus: {}", e.getMessage());
            presence.close();
            return Optional.empty();
        }
        return Optional.of(presence);
    }

    boolean present() {
        return present;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            LOG.debug("closing the session bus connection: {}", e.getMessage());
        }
    }
}
