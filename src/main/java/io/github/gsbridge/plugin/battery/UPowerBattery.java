package io.github.gsbridge.plugin.battery;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * This computer's battery, from UPower on the system bus: its DisplayDevice, the one battery
 * UPower makes of all of them (GNOME's panel shows the same). UPower may start after us, or
 * restart: the connection stays, and follows who owns UPower's name.
 */
final class UPowerBattery implements AutoCloseable {
    static final String BUS_NAME = "org.freedesktop.UPower";
    static final String DISPLAY_DEVICE = "/org/freedesktop/UPower/devices/DisplayDevice";
    static final String DEVICE_INTERFACE = "org.freedesktop.UPower.Device";
    /** The bus itself, the only sender of NameOwnerChanged. */
    private static final String BUS_DAEMON = "org.freedesktop.DBus";
    /** UPower's State values (0 unknown, 3 empty, 4 fully charged, 5 and 6 pending are the others). */
    private static final long CHARGING = 1;
    private static final long DISCHARGING = 2;
    private static final int CONNECT_TIMEOUT_MS = 2000;

    private final DBusConnection connection;
    private final Properties displayDevice;

    private UPowerBattery(DBusConnection connection) throws DBusException {
        this.connection = connection;
        this.displayDevice = connection.getRemoteObject(BUS_NAME, DISPLAY_DEVICE, Properties.class);
    }

    /**
     * Connects to the system bus at {@code address} and calls, on dbus-java's thread, {@code changed}
     * whenever UPower says the battery changed or UPower appears on the bus (started, or started
     * again), and {@code gone} when it leaves the bus.
     */
    static UPowerBattery connect(String address, Runnable changed, Runnable gone) throws IOException {
        DBusConnection connection;
        try {
            connection = DBusConnectionBuilder.forAddress(address).withShared(false).transportConfig()
                    .withTimeout(CONNECT_TIMEOUT_MS).back().build();
        } catch (DBusException | RuntimeException e) {
            throw new IOException("no system bus at " + address + " (" + e.getMessage() + ")", e);
        }
        try {
            UPowerBattery battery = new UPowerBattery(connection);
            // The signal's values are not taken as they come: read() asks UPower itself, so a
            // signal from another sender on the bus can cause a read, never a wrong value.
            connection.addSigHandler(Properties.PropertiesChanged.class, signal -> {
                if (DISPLAY_DEVICE.equals(signal.getPath()) && DEVICE_INTERFACE.equals(signal.getInterfaceName())) {
                    changed.run();
                }
            });
            connection.addSigHandler(DBus.NameOwnerChanged.class, signal -> {
                if (BUS_NAME.equals(signal.name) && BUS_DAEMON.equals(signal.getSource())) {
                    (signal.newOwner.isEmpty() ? gone : changed).run();
                }
            });
            return battery;
        } catch (DBusException | RuntimeException e) {
            connection.disconnect();
            throw new IOException("cannot follow UPower on the system bus: " + e.getMessage(), e);
        }
    }

    /** The battery now; empty when this computer has none (a desktop), as UPower's IsPresent says. */
    Optional<BatteryState> read() throws IOException {
        Map<String, Variant<?>> properties;
        try {
            properties = displayDevice.GetAll(DEVICE_INTERFACE);
        } catch (DBusExecutionException e) {
            throw new IOException("UPower does not answer on the system bus: " + e.getMessage(), e);
        }
        if (!(value(properties, "IsPresent") instanceof Boolean present) || !present) {
            return Optional.empty();
        }
        if (!(value(properties, "Percentage") instanceof Double percentage) || !Double.isFinite(percentage)
                || !(value(properties, "State") instanceof UInt32 state)) {
            throw new IOException("UPower's DisplayDevice has no usable Percentage (d) and State (u): "
                    + properties.get("Percentage") + ", " + properties.get("State"));
        }
        return Optional.of(BatteryState.ofComputer(percentage, state.longValue() == CHARGING,
                state.longValue() == DISCHARGING));
    }

    private static Object value(Map<String, Variant<?>> properties, String name) {
        Variant<?> variant = properties.get(name);
        return variant == null ? null : variant.getValue();
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
