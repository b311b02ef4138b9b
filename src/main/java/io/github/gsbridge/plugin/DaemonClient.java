package io.github.gsbridge.plugin;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.Variant;

import java.util.Map;

/** The daemon's objects on the session bus, as commands use them. */
public interface DaemonClient {
    /** A device the user named. */
    record Target(String path, String name) { }

    DBusConnection connection();

    /**
     * Runs {@code stopped} when the daemon leaves the bus, until the returned handle is closed: a
     * command that waits for signals ends then, instead of waiting for ever.
     */
    AutoCloseable whenStopped(Runnable stopped) throws DBusException;

    <T extends DBusInterface> T remote(String path, Class<T> type) throws CommandFailure;

    Map<String, Variant<?>> properties(String path, String interfaceName) throws CommandFailure;

    /** The device called {@code nameOrId} (a name, any case, a unique beginning of it, or an id). */
    Target device(String nameOrId) throws CommandFailure;
}
