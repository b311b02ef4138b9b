package io.github.gsbridge.plugin.ping;

import io.github.gsbridge.plugin.BusInterface;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

/** Ping's part of {@code io.github.gsbridge.Device1}. */
@DBusInterfaceName(BusInterface.DEVICE1)
@SuppressWarnings("checkstyle:methodname")
public interface PingDevice1 extends DBusInterface {
    /** Pings the device; an empty message sends a plain ping. */
    void Ping(String message);

    final class PingReceived extends DBusSignal {
        public final String message;

        public PingReceived(String path, String message) throws DBusException {
            super(path, message);
            this.message = message;
        }
    }
}
