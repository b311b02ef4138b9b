package io.github.gsbridge.plugin;

import io.github.gsbridge.event.Event;

/** Something a plugin reports about one device; the D-Bus layer asks the plugins for its signal. */
public interface PluginEvent extends Event {
    String deviceId();
}
