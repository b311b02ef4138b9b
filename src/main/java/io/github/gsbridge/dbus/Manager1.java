package io.github.gsbridge.dbus;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/** {@code io.github.gsbridge.Manager1}, documented in {@code dbus/io.github.gsbridge.Manager1.xml}. */
@DBusInterfaceName(Manager1.NAME)
@SuppressWarnings("checkstyle:methodname")
public interface Manager1 extends DBusInterface {
    String NAME = "io.github.gsbridge.Manager1";

    void Announce();

    void Connect(String address);

    DBusPath FindDevice(String nameOrId);

    void Release();

    void TakeOver();
}
