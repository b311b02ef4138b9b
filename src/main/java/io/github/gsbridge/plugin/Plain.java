package io.github.gsbridge.plugin;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** D-Bus values as plain Java values (numbers, strings, lists, maps), ready for JSON or printing. */
public final class Plain {
    private Plain() {}

    public static Object of(Object value) {
        if (value instanceof Variant<?> variant) {
            return of(variant.getValue());
        }
        if (value instanceof UInt64 number) {
            return number.value();
        }
        if (value instanceof UInt32 number) {
            return number.longValue();
        }
        if (value instanceof UInt16 number) {
            return number.intValue();
        }
        if (value instanceof DBusPath path) {
            return path.getPath();
        }
        if (value instanceof List<?> list) {
            List<Object> plain = new ArrayList<>();
            list.forEach(item -> plain.add(of(item)));
            return plain;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> plain = new LinkedHashMap<>();
            map.forEach((key, item) -> plain.put(String.valueOf(of(key)), of(item)));
            return plain;
        }
        return value;
    }

    /** A dictionary of properties with lower-camel keys, as the CLI's JSON shows objects. */
    public static Map<String, Object> properties(Map<String, Variant<?>> properties) {
        Map<String, Object> plain = new LinkedHashMap<>();
        properties.forEach((name, value) -> plain.put(Character.toLowerCase(name.charAt(0)) + name.substring(1),
                of(value)));
        return plain;
    }
}
