package io.github.gsbridge.plugin;

import java.util.function.Supplier;

/** A read-only D-Bus property of a plugin's interface; a change is signalled when the plugin publishes an event. */
public record BusProperty(String name, String signature, Supplier<Object> value) {
}
