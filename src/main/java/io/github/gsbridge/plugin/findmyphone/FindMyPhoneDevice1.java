package io.github.gsbridge.plugin.findmyphone;

import io.github.gsbridge.plugin.BusInterface;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/** Find-my-phone's part of {@code io.github.gsbridge.Device1}. */
@DBusInterfaceName(BusInterface.DEVICE1)
@SuppressWarnings("checkstyle:methodname")
public interface FindMyPhoneDevice1 extends DBusInterface {
    /** Makes the device ring. */
    void Ring();
}
