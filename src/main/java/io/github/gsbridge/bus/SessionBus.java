package io.github.gsbridge.bus;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Where the user's session bus is: {@code DBUS_SESSION_BUS_ADDRESS}, else systemd's {@code $XDG_RUNTIME_DIR/bus}. */
public final class SessionBus {
    private SessionBus() {}

    public static Optional<String> address(Map<String, String> env) {
        String address = env.get("DBUS_SESSION_BUS_ADDRESS");
        if (address != null && !address.isBlank()) {
            return Optional.of(address);
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Files.exists(Path.of(runtime, "bus"))) {
            return Optional.of("unix:path=" + Path.of(runtime, "bus"));
        }
        return Optional.empty();
    }

    /** A private (unshared) connection, so closing it never affects another user of the same bus in this JVM. */
    public static DBusConnection connect(String address) throws DBusException {
        return DBusConnectionBuilder.forAddress(address).withShared(false).build();
    }
}
