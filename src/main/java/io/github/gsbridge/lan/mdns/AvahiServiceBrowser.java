package io.github.gsbridge.lan.mdns;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/** Avahi's {@code org.freedesktop.Avahi.ServiceBrowser}: services of one type as they come and go. */
@DBusInterfaceName("org.freedesktop.Avahi.ServiceBrowser")
@SuppressWarnings("checkstyle:methodname")
public interface AvahiServiceBrowser extends DBusInterface {
    /** Lookup result flag: the service is one this client published itself. */
    long OUR_OWN = 16;

    void Start();

    void Free();

    class ItemNew extends DBusSignal {
        public final int iface;
        public final int protocol;
        public final String name;
        public final String type;
        public final String domain;
        public final long flags;

        public ItemNew(String path, int iface, int protocol, String name, String type, String domain, UInt32 flags)
                throws DBusException {
            super(path, iface, protocol, name, type, domain, flags);
            this.iface = iface;
            this.protocol = protocol;
            this.name = name;
            this.type = type;
            this.domain = domain;
            this.flags = flags.longValue();
        }
    }

    class ItemRemove extends DBusSignal {
        public final int iface;
        public final int protocol;
        public final String name;

        public ItemRemove(String path, int iface, int protocol, String name, String type, String domain,
                          UInt32 flags) throws DBusException {
            super(path, iface, protocol, name, type, domain, flags);
            this.iface = iface;
            this.protocol = protocol;
            this.name = name;
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
