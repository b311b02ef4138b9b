package io.github.gsbridge.dbus;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

import java.util.List;

/** {@code io.github.gsbridge.Manager1}, documented in {@code dbus/io.github.gsbridge.Manager1.xml}. */
@DBusInterfaceName(Manager1.NAME)
@SuppressWarnings("checkstyle:methodname")
public interface Manager1 extends DBusInterface {
    String NAME = "io.github.gsbridge.Manager1";

    void Announce();

    void Connect(String address);

    void RememberAddress(String address);

    boolean ForgetAddress(String address);

    List<String> RememberedAddresses();

    DBusPath FindDevice(String nameOrId);

    void Release();

    void TakeOver();
}
