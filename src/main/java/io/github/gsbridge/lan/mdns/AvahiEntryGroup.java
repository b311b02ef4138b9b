package io.github.gsbridge.lan.mdns;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;

import java.util.List;

/** Avahi's {@code org.freedesktop.Avahi.EntryGroup}: the records we publish, committed together. */
@DBusInterfaceName("org.freedesktop.Avahi.EntryGroup")
@SuppressWarnings("checkstyle:methodname")
public interface AvahiEntryGroup extends DBusInterface {
    /** Group state: another host already uses the name. */
    int COLLISION = 3;
    /** Group state: publishing failed. */
    int FAILURE = 4;

    void AddService(int iface, int protocol, UInt32 flags, String name, String type, String domain, String host,
                    UInt16 port, List<byte[]> txt);

    void Commit();

    void Reset();

    void Free();

    class StateChanged extends DBusSignal {
        public final int state;
        public final String error;

        public StateChanged(String path, int state, String error) throws DBusException {
            super(path, state, error);
            this.state = state;
            this.error = error;
        }
    }
}
