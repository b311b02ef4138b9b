package io.github.gsbridge.lan.mdns;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;

import java.util.List;

/** Avahi's {@code org.freedesktop.Avahi.ServiceResolver}: one service's address, port and TXT record. */
@DBusInterfaceName("org.freedesktop.Avahi.ServiceResolver")
@SuppressWarnings("checkstyle:methodname")
public interface AvahiServiceResolver extends DBusInterface {
    void Start();

    void Free();

    class Found extends DBusSignal {
        public final String name;
        public final String type;
        public final String address;
        public final int port;
        public final List<byte[]> txt;

        @SuppressWarnings("checkstyle:parameternumber")
        public Found(String path, int iface, int protocol, String name, String type, String domain, String host,
                     int aprotocol, String address, UInt16 port, List<byte[]> txt, UInt32 flags) throws DBusException {
            super(path, iface, protocol, name, type, domain, host, aprotocol, address, port, txt, flags);
            this.name = name;
            this.type = type;
            this.address = address;
            this.port = port.intValue();
            this.txt = txt;
        }
    }

    class Failure extends DBusSignal {
        public final String error;

        public Failure(String path, String error) throws DBusException {
            super(path, error);
            this.error = error;
        }
    }
}
