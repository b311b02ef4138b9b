package io.github.gsbridge.plugin;

import io.github.gsbridge.device.Device;
import io.github.gsbridge.wire.Packet;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.DBusSignal;

import java.util.Optional;
import java.util.Set;

/**
 * A capability as the daemon runs it: the packet types it takes and sends, what it does with them,
 * and what it adds to a device's object on the session bus. The identity we announce is the union
 * of all plugins' types, and a plugin is only used with a device whose own capabilities match.
 * Created by its package's {@link PluginModule}.
 */
public interface Plugin extends AutoCloseable {
    /** Short name for logs and settings, e.g. "ping". */
    String name();

    Set<String> incomingPacketTypes();

    Set<String> outgoingPacketTypes();

    /** A packet of one of {@link #incomingPacketTypes()} from a paired device; runs on the link's thread. */
    void handle(Device device, Packet packet);

    /** A paired device this plugin applies to is now connected. */
    default void connected(Device device) {
    }

    /** The device disconnected or was unpaired. */
    default void disconnected(Device device) {
    }

    /** What this plugin adds to the D-Bus object of {@code device}; none by default. */
    default BusSurface busSurface(DeviceRef device) {
        return BusSurface.NONE;
    }

    /**
     * The D-Bus signal that announces one of this plugin's events on the device object at
     * {@code objectPath}; empty for events of other plugins.
     */
    default Optional<DBusSignal> signal(PluginEvent event, String objectPath) throws DBusException {
        return Optional.empty();
    }

    /**
     * Whether {@code event} is one of this plugin's: the D-Bus layer then emits PropertiesChanged
     * for this plugin's properties, and re-reads no other plugin's (reading one may cost a call to
     * another process). A capability is one package (plugin/README.md), so by default the events of
     * this plugin's package are its own.
     */
    default boolean publishes(PluginEvent event) {
        return event.getClass().getPackageName().equals(getClass().getPackageName());
    }

    /** The daemon stops: end the plugin's threads and timers. */
    @Override
    default void close() {
    }
}
