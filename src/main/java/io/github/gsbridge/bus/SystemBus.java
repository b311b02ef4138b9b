package io.github.gsbridge.bus;

import java.util.Map;

/** Where the system bus is (Avahi, UPower): {@code DBUS_SYSTEM_BUS_ADDRESS}, else the standard socket. */
public final class SystemBus {
    private static final String STANDARD = "unix:path=/var/run/dbus/system_bus_socket";

    private SystemBus() {}

    public static String address(Map<String, String> env) {
        String address = env.get("DBUS_SYSTEM_BUS_ADDRESS");
        return address == null || address.isBlank() ? STANDARD : address;
    }
}
