package io.github.gsbridge.plugin;

import org.freedesktop.dbus.Marshalling;
import org.freedesktop.dbus.exceptions.DBusException;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One of GSConnect's device actions ({@code org.gtk.Actions}), which GSConnect's own clients and
 * scripts activate by name.
 *
 * @param name          GSConnect's name, e.g. "ping"
 * @param signature     the parameter's D-Bus type, empty for none
 * @param parameterType the Java type dbus-java describes the parameter with
 * @param activate      what it does with the parameter (a struct arrives as its fields, {@code Object[]})
 */
public record GtkAction(String name, String signature, Type[] parameterType, Consumer<Object> activate) {
    /** An action whose parameter is of a basic or container type ({@code ""}, {@code "s"}, {@code "a{sv}"}). */
    public static GtkAction of(String name, String signature, Consumer<Object> activate) {
        List<Type> types = new ArrayList<>();
        if (!signature.isEmpty()) {
            try {
                Marshalling.getJavaType(signature, types, -1);
            } catch (DBusException e) {
                throw new IllegalArgumentException("bad D-Bus signature " + signature, e);
            }
        }
        return new GtkAction(name, signature, types.toArray(new Type[0]), activate);
    }
}
