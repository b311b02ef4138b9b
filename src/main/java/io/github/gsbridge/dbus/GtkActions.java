package io.github.gsbridge.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

/**
 * GLib's {@code org.gtk.Actions} (what {@code GDBusActionGroup} speaks), the interface GSConnect
 * exports its device actions with.
 */
@DBusInterfaceName(GtkActions.NAME)
@SuppressWarnings("checkstyle:methodname")
public interface GtkActions extends DBusInterface {
    String NAME = "org.gtk.Actions";

    List<String> List();

    Description Describe(String actionName);

    Map<String, Description> DescribeAll();

    void Activate(String actionName, List<Variant<?>> parameter, Map<String, Variant<?>> platformData);

    void SetState(String actionName, Variant<?> value, Map<String, Variant<?>> platformData);

    /** {@code (bgav)}: enabled, parameter type (empty: none), state (empty: stateless). */
    final class Description extends Struct {
        @Position(0)
        public final boolean enabled;
        @Position(1)
        public final Type[] parameterType;
        /** An array, not a List: dbus-java 5.1.1 reads struct fields of a return type without their type arguments. */
        @Position(2)
        public final Variant<?>[] state;

        public Description(boolean enabled, Type[] parameterType, Variant<?>[] state) {
            this.enabled = enabled;
            this.parameterType = parameterType.clone();
            this.state = state.clone();
        }
    }

    final class Changed extends DBusSignal {
        public final List<String> removals;
        public final Map<String, Boolean> enableChanges;
        public final Map<String, Variant<?>> stateChanges;
        public final Map<String, Description> additions;

        public Changed(String path, List<String> removals, Map<String, Boolean> enableChanges,
                       Map<String, Variant<?>> stateChanges, Map<String, Description> additions) throws DBusException {
            super(path, removals, enableChanges, stateChanges, additions);
            this.removals = removals;
            this.enableChanges = enableChanges;
            this.stateChanges = stateChanges;
            this.additions = additions;
        }
    }
}
