package io.github.gsbridge.cli;

import io.github.gsbridge.Error;
import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.dbus.Device1;
import io.github.gsbridge.dbus.Manager1;
import io.github.gsbridge.plugin.CommandFailure;
import io.github.gsbridge.plugin.DaemonClient;
import io.github.gsbridge.bus.SessionBus;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The CLI's only way to the daemon: its objects on the session bus. */
final class BusClient implements DaemonClient, AutoCloseable {
    static final String NOT_RUNNING = "gsbridge is not running on this session bus.\n"
            + "Start it with \"systemctl --user start gsbridge\", or run \"gsbridge daemon\" in a terminal.";

    /** How long devices get to answer an announcement: on a LAN they connect within a few hundred ms. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(3);
    private static final Duration ANSWER_POLL = Duration.ofMillis(250);

    private final DBusConnection connection;

    private BusClient(DBusConnection connection) {
        this.connection = connection;
    }

    /**
     * Connects and checks that the daemon owns its name. The check uses NameHasOwner, which never
     * starts anything: asking the daemon itself would have the bus activate it.
     */
    static BusClient open(Map<String, String> env) throws CommandFailure {
        String address = SessionBus.address(env).orElseThrow(() -> new CommandFailure(
                "no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set and there is no $XDG_RUNTIME_DIR/bus.\n"
                        + "gsbridge's commands talk to the daemon over the session bus of your desktop session."));
        DBusConnection connection;
        try {
            connection = SessionBus.connect(address);
        } catch (DBusException e) {
            throw new CommandFailure("cannot connect to the session bus at " + address + ": " + e.getMessage());
        }
        BusClient client = new BusClient(connection);
        try {
            if (DbusService.nameOwner(connection).isEmpty()) {
                throw new CommandFailure(NOT_RUNNING);
            }
        } catch (DBusException | DBusExecutionException e) {
            client.close();
            throw new CommandFailure("cannot ask the session bus whether gsbridge runs: " + e.getMessage());
        } catch (CommandFailure e) {
            client.close();
            throw e;
        }
        return client;
    }

    @Override
    public DBusConnection connection() {
        return connection;
    }

    @Override
    public AutoCloseable whenStopped(Runnable stopped) throws DBusException {
        return connection.addSigHandler(DBus.NameOwnerChanged.class, signal -> {
            if (signal.name.equals(DbusService.BUS_NAME) && signal.newOwner.isEmpty()) {
                stopped.run();
            }
        });
    }

    @Override
    public <T extends DBusInterface> T remote(String path, Class<T> type) throws CommandFailure {
        try {
            return connection.getRemoteObject(DbusService.BUS_NAME, path, type);
        } catch (DBusException e) {
            throw new CommandFailure("cannot reach " + path + ": " + e.getMessage());
        }
    }

    Manager1 manager() throws CommandFailure {
        return remote(DbusService.MANAGER_PATH, Manager1.class);
    }

    @Override
    public Map<String, Variant<?>> properties(String path, String iface) throws CommandFailure {
        try {
            return remote(path, Properties.class).GetAll(iface);
        } catch (DBusExecutionException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    /**
     * A device that is not paired is known only while it is connected, and gsbridge lets one go that
     * does not start pairing within a minute. Devices answer an announcement by connecting.
     */
    @Override
    public Target device(String nameOrId) throws CommandFailure {
        String path;
        try {
            path = manager().FindDevice(nameOrId).getPath();
        } catch (Error.UnknownDevice unknown) {
            path = findAfterAnnouncing(nameOrId);
        } catch (DBusExecutionException e) {
            throw new CommandFailure(e.getMessage());
        }
        return new Target(path, String.valueOf(value(properties(path, Device1.NAME), "Name").orElse(path)));
    }

    private String findAfterAnnouncing(String nameOrId) throws CommandFailure {
        announce();
        long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
        while (true) {
            pause(ANSWER_POLL);
            try {
                return manager().FindDevice(nameOrId).getPath();
            } catch (Error.UnknownDevice e) {
                if (System.nanoTime() > deadline) {
                    throw new CommandFailure(e.getMessage() + ". \"gsbridge devices\" lists the known ones; one that is "
                            + "not paired shows up while KDE Connect is open on it, on the same network.");
                }
            } catch (DBusExecutionException e) {
                throw new CommandFailure(e.getMessage());
            }
        }
    }

    private void announce() throws CommandFailure {
        try {
            manager().Announce();
        } catch (DBusExecutionException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    static void pause(Duration duration) throws CommandFailure {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted");
        }
    }

    static Optional<Object> value(Map<String, Variant<?>> properties, String name) {
        Variant<?> variant = properties.get(name);
        return variant == null ? Optional.empty() : Optional.ofNullable(variant.getValue());
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
