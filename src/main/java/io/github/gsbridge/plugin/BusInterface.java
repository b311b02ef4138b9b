package io.github.gsbridge.plugin;

import org.freedesktop.dbus.interfaces.DBusInterface;

import java.util.List;

/**
 * One D-Bus interface a plugin implements on device objects.
 *
 * @param type           the Java interface dbus-java exports, annotated with its D-Bus name
 * @param implementation implements {@code type} for one device
 * @param properties     the interface's properties
 * @param documentation  the {@code <node>} file that documents it, a resource beside {@code type}
 *                       (e.g. {@code io.github.gsbridge.Battery1.xml}); empty for the parts of
 *                       {@code Device1}, which {@code dbus/io.github.gsbridge.Device1.xml} documents whole
 * @param whenApplicable whether it appears only on devices the plugin applies to (new, versioned
 *                       interfaces) or on every device (the plugin's part of {@code Device1}, which
 *                       scripts expect everywhere)
 */
public record BusInterface(Class<? extends DBusInterface> type, DBusInterface implementation,
                           List<BusProperty> properties, String documentation, boolean whenApplicable) {
    /** The device interface that predates per-capability ones; plugins still add their methods to it. */
    public static final String DEVICE1 = "io.github.gsbridge.Device1";

    public BusInterface {
        properties = List.copyOf(properties);
    }

    /** A plugin's own, versioned interface, documented by {@code documentation} beside {@code type}. */
    public static <T extends DBusInterface> BusInterface of(Class<T> type, T implementation,
                                                            List<BusProperty> properties, String documentation) {
        return new BusInterface(type, implementation, properties, documentation, true);
    }

    /** The plugin's methods and signals of {@code io.github.gsbridge.Device1}, the interface kept for scripts. */
    public static <T extends DBusInterface> BusInterface partOfDevice1(Class<T> type, T implementation) {
        return new BusInterface(type, implementation, List.of(), "", false);
    }
}
