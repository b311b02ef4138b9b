package io.github.gsbridge.plugin;

import org.freedesktop.dbus.messages.DBusSignal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How {@code gsbridge watch} shows a plugin's signals and property changes. */
public interface WatchFormat {
    WatchFormat NONE = new WatchFormat() { };

    /** The plugin's signals, to subscribe to. */
    default List<Class<? extends DBusSignal>> signals() {
        return List.of();
    }

    /** One of {@link #signals()} as watch's JSON fields, "event" first; empty for other signals. */
    default Optional<Map<String, Object>> describe(DBusSignal signal) {
        return Optional.empty();
    }

    /**
     * What an event means to a person, {@code who} being the device's name; empty when the event
     * is not this plugin's or only a script cares about it. Events are the ones {@link #describe}
     * made, and "PropertiesChanged" with its "interface" and the changed properties.
     */
    default Optional<String> sentence(String who, Map<String, Object> event) {
        return Optional.empty();
    }

    /**
     * What {@code gsbridge devices} adds to a device's line, from the properties of its interfaces
     * (e.g. "battery 80 %"); empty when the plugin has nothing to say.
     */
    default Optional<String> summary(Map<String, Map<String, Object>> interfaces) {
        return Optional.empty();
    }
}
