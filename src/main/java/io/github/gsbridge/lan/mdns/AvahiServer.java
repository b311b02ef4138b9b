package io.github.gsbridge.lan.mdns;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/** The part of Avahi's {@code org.freedesktop.Avahi.Server} (at {@code /}) that gsbridge uses. */
@DBusInterfaceName("org.freedesktop.Avahi.Server")
@SuppressWarnings("checkstyle:methodname")
public interface AvahiServer extends DBusInterface {
    String BUS_NAME = "org.freedesktop.Avahi";
    /** Server state: host name established, services may be published. */
    int RUNNING = 2;
    /** Interface and protocol "any". */
    int UNSPEC = -1;
    /** Address protocol IPv4. */
    int INET = 0;

    String GetVersionString();

    int GetState();

    DBusPath EntryGroupNew();

    DBusPath ServiceBrowserNew(int iface, int protocol, String type, String domain, UInt32 flags);

    DBusPath ServiceResolverNew(int iface, int protocol, String name, String type, String domain, int aprotocol,
                                UInt32 flags);

    /** Host name probing finished (RUNNING), or a collision or failure made Avahi drop every published service. */
    class StateChanged extends DBusSignal {
        public final int state;

        public StateChanged(String path, int state, String error) throws DBusException {
            super(path, state, error);
            this.state = state;
        }
    }
}
