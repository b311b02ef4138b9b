package io.github.gsbridge.transfer;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * A transfer on the session bus, {@code io.github.gsbridge.Transfer1}, documented in
 * {@code dbus/io.github.gsbridge.Transfer1.xml}: the contract of the D-Bus layer that exports
 * transfers and of the commands that follow them.
 */
@DBusInterfaceName(Transfer1.NAME)
@SuppressWarnings("checkstyle:methodname")
public interface Transfer1 extends DBusInterface {
    String NAME = "io.github.gsbridge.Transfer1";

    void Cancel();

    /** The object path of the transfer numbered {@code transferId}. */
    static String path(long transferId) {
        return "/io/github/gsbridge/Transfer/" + transferId;
    }
}
