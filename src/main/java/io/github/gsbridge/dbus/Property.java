package io.github.gsbridge.dbus;

import org.freedesktop.dbus.types.Variant;

import java.util.function.Supplier;

/** One read-only D-Bus property: its name, D-Bus type, current value, and whether it can change. */
record Property(String name, String signature, Supplier<Object> value, boolean constant) {
    static Property of(String name, String signature, Supplier<Object> value) {
        return new Property(name, signature, value, false);
    }

    static Property constant(String name, String signature, Object value) {
        return new Property(name, signature, () -> value, true);
    }

    Variant<?> variant(Object current) {
        return new Variant<>(current, signature);
    }
}
