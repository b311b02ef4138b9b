package io.github.gsbridge.dbus;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.errors.PropertyReadOnly;
import org.freedesktop.dbus.errors.UnknownInterface;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An object we export: its path, its interfaces' read-only properties, and PropertiesChanged
 * for the properties whose value differs from what clients last saw.
 */
abstract class BusObject implements Properties {
    private static final Logger LOG = LoggerFactory.getLogger(BusObject.class);

    private final String path;
    private final DBusConnection bus;
    private final Map<String, List<Property>> interfaces = new LinkedHashMap<>();
    /** Values clients last saw, per interface and property. */
    private final Map<String, Map<String, Object>> seen = new HashMap<>();

    BusObject(String path, DBusConnection bus) {
        this.path = path;
        this.bus = bus;
    }

    /** Declares an interface of this object with its properties (none for method-only interfaces). */
    final synchronized void declare(String interfaceName, List<Property> properties) {
        interfaces.put(interfaceName, List.copyOf(properties));
    }

    /** The object no longer has {@code interfaceName}. */
    final synchronized void withdraw(String interfaceName) {
        interfaces.remove(interfaceName);
        seen.remove(interfaceName);
    }

    /** The {@code dbus/} file describing this object, e.g. {@code io.github.gsbridge.Device1.xml}. */
    abstract String introspectionFile();

    /** The interface elements served as this object's introspection data. */
    String introspection() {
        return Introspection.interfacesOf(introspectionFile());
    }

    /** What dbus-java exports at the path: the object itself, unless its interfaces are put together. */
    DBusInterface exported() {
        return this;
    }

    @Override
    public final String getObjectPath() {
        return path;
    }

    final DBusConnection bus() {
        return bus;
    }

    @Override
    @SuppressWarnings("unchecked")
    public final <A> A Get(String interfaceName, String propertyName) {
        for (Property property : propertiesOf(interfaceName)) {
            if (property.name().equals(propertyName)) {
                return (A) property.variant(property.value().get());
            }
        }
        // dbus-java answers a null Get with its UnknownProperty error.
        return null;
    }

    @Override
    public final Map<String, Variant<?>> GetAll(String interfaceName) {
        return snapshot(propertiesOf(interfaceName));
    }

    @Override
    public final <A> void Set(String interfaceName, String propertyName, A value) {
        throw new PropertyReadOnly("property " + interfaceName + "." + propertyName + " of " + path
                + " is read-only");
    }

    /** Every interface with its current properties, as ObjectManager describes an object. */
    final synchronized Map<String, Map<String, Variant<?>>> interfacesAndProperties() {
        Map<String, Map<String, Variant<?>>> all = new LinkedHashMap<>();
        interfaces.forEach((name, properties) -> all.put(name, snapshot(properties)));
        return all;
    }

    /**
     * As {@link #interfacesAndProperties()}, for InterfacesAdded: from then on clients know these
     * values, and {@link #refresh()} reports changes against them. Plain Get and GetAll calls do
     * not count as seen, since other clients rely on the signal.
     */
    final synchronized Map<String, Map<String, Variant<?>>> announce() {
        return announce(interfaces.keySet());
    }

    /** As {@link #announce()}, for the interfaces {@code names} that were just added. */
    final synchronized Map<String, Map<String, Variant<?>>> announce(Collection<String> names) {
        Map<String, Map<String, Variant<?>>> all = new LinkedHashMap<>();
        interfaces.forEach((name, properties) -> {
            if (!names.contains(name)) {
                return;
            }
            Map<String, Object> remembered = seen.computeIfAbsent(name, key -> new HashMap<>());
            Map<String, Variant<?>> values = new LinkedHashMap<>();
            for (Property property : properties) {
                Object now = property.value().get();
                remembered.put(property.name(), now);
                values.put(property.name(), property.variant(now));
            }
            all.put(name, values);
        });
        return all;
    }

    final synchronized List<String> interfaceNames() {
        return List.copyOf(interfaces.keySet());
    }

    /** Emits PropertiesChanged for every property whose value changed since clients last saw it. */
    final synchronized void refresh() {
        refresh(interfaces.keySet());
    }

    /** As {@link #refresh()}, reading only the properties of the interfaces {@code names} this object has. */
    final synchronized void refresh(Collection<String> names) {
        interfaces.forEach((name, properties) -> {
            if (!names.contains(name)) {
                return;
            }
            Map<String, Object> before = seen.computeIfAbsent(name, key -> new HashMap<>());
            Map<String, Variant<?>> changed = new LinkedHashMap<>();
            for (Property property : properties) {
                if (property.constant()) {
                    continue;
                }
                Object now = property.value().get();
                if (!Objects.equals(before.get(property.name()), now)) {
                    before.put(property.name(), now);
                    changed.put(property.name(), property.variant(now));
                }
            }
            if (!changed.isEmpty()) {
                emit(() -> new PropertiesChanged(path, name, changed, List.of()));
            }
        });
    }

    /** Sends a signal from this object; a failure is logged, the daemon goes on. */
    final void emit(SignalFactory signal) {
        try {
            bus.sendMessage(signal.create());
        } catch (DBusException | RuntimeException e) {
            LOG.warn("{}: cannot emit a D-Bus signal: {}", path, e.getMessage());
        }
    }

    @FunctionalInterface
    interface SignalFactory {
        DBusSignal create() throws DBusException;
    }

    private synchronized List<Property> propertiesOf(String interfaceName) {
        List<Property> properties = interfaces.get(interfaceName);
        if (properties == null) {
            throw new UnknownInterface(path + " has no interface " + interfaceName);
        }
        return properties;
    }

    private static Map<String, Variant<?>> snapshot(List<Property> properties) {
        Map<String, Variant<?>> values = new LinkedHashMap<>();
        for (Property property : properties) {
            values.put(property.name(), property.variant(property.value().get()));
        }
        return values;
    }

    @Override
    public String toString() {
        return path;
    }

    static List<String> sorted(Collection<String> values) {
        List<String> list = new ArrayList<>(values);
        list.sort(null);
        return list;
    }
}
