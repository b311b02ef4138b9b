package io.github.gsbridge.dbus;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/** {@code io.github.gsbridge.Transfer1}, documented in {@code dbus/io.github.gsbridge.Transfer1.xml}. */
@DBusInterfaceName(Transfer1.NAME)
@SuppressWarnings("checkstyle:methodname")
public interface Transfer1 extends DBusInterface {
    String NAME = "io.github.gsbridge.Transfer1";

    void Cancel();
}
