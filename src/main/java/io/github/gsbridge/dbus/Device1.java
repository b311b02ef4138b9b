package io.github.gsbridge.dbus;

import io.github.gsbridge.plugin.BusInterface;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

/**
 * The pairing part of {@code io.github.gsbridge.Device1}, documented with the plugins' parts in
 * {@code dbus/io.github.gsbridge.Device1.xml}: each plugin declares its own methods and signals of
 * this interface (e.g. {@code plugin.ping.PingDevice1}).
 */
@DBusInterfaceName(BusInterface.DEVICE1)
@SuppressWarnings("checkstyle:methodname")
public interface Device1 extends DBusInterface {
    String NAME = BusInterface.DEVICE1;

    void RequestPair();

    void AcceptPair();

    void RejectPair();

    void Unpair();

    final class PairRequested extends DBusSignal {
        public final String verificationKey;

        public PairRequested(String path, String verificationKey) throws DBusException {
            super(path, verificationKey);
            this.verificationKey = verificationKey;
        }
    }
}
