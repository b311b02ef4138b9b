package io.github.gsbridge.plugin.battery;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * {@code io.github.gsbridge.Battery1}: the device's battery, as properties only (Charge, Charging,
 * Low); {@code io.github.gsbridge.Battery1.xml} documents them.
 */
@DBusInterfaceName(Battery1.NAME)
public interface Battery1 extends DBusInterface {
    String NAME = "io.github.gsbridge.Battery1";
}
