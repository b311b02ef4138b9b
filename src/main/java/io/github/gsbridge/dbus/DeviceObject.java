package io.github.gsbridge.dbus;

import io.github.gsbridge.Error;
import io.github.gsbridge.daemon.Daemon;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.plugin.BusInterface;
import io.github.gsbridge.plugin.BusProperty;
import io.github.gsbridge.plugin.BusSurface;
import io.github.gsbridge.plugin.DeviceRef;
import io.github.gsbridge.plugin.GtkAction;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.Plugins;
import io.github.gsbridge.transfer.Transfer;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.freedesktop.dbus.utils.DBusNamingUtil;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A device on the bus: the pairing part of {@code io.github.gsbridge.Device1}, GSConnect's
 * {@code org.gtk.Actions}, and what each plugin adds: its part of Device1, its actions, and its own
 * interfaces while it applies to the device. dbus-java exports one Java object per path, so the
 * object exported is a proxy over all of them, made again when the set of interfaces changes.
 */
final class DeviceObject extends BusObject implements DeviceRef {
    private final String id;
    private final Daemon daemon;
    private final DbusService service;
    /** What each plugin contributes to this device, made once. */
    private final Map<Plugin, BusSurface> surfaces = new LinkedHashMap<>();
    private final Map<String, GtkAction> actions = new LinkedHashMap<>();
    private final Device1 pairing = new PairingMethods();
    private final GtkActions gtkActions = new Actions();
    private volatile Device last;
    private Boolean actionsEnabled;
    /** The plugins' interfaces the exported proxy has; only {@link #update()} changes it. */
    private Set<BusInterface> present;

    DeviceObject(Device device, Daemon daemon, DbusService service, DBusConnection bus) {
        super(DbusService.devicePath(device.id()), bus);
        this.id = device.id();
        this.daemon = daemon;
        this.service = service;
        this.last = device;
        declare(Device1.NAME, List.of(
                Property.constant("Id", "s", id),
                Property.of("Name", "s", () -> current().name()),
                Property.of("Type", "s", () -> current().type()),
                Property.of("Paired", "b", () -> current().isPaired()),
                Property.of("Reachable", "b", () -> current().isReachable()),
                Property.of("ProtocolVersion", "u", () -> new UInt32(current().protocolVersion())),
                Property.of("EncryptionInfo", "s", () -> encryptionInfo(current())),
                Property.of("PairingState", "s", () -> pairingState(current())),
                Property.of("IncomingCapabilities", "as", () -> sorted(current().incomingCapabilities())),
                Property.of("OutgoingCapabilities", "as", () -> sorted(current().outgoingCapabilities()))));
        declare(GtkActions.NAME, List.of());
        for (Plugin plugin : daemon.plugins().all()) {
            BusSurface surface = plugin.busSurface(this);
            surfaces.put(plugin, surface);
            surface.actions().forEach(action -> actions.put(action.name(), action));
        }
        present = applicable();
        present.forEach(this::declare);
        actionsEnabled = enabled();
    }

    @Override
    String introspectionFile() {
        return "io.github.gsbridge.Device1.xml";
    }

    @Override
    synchronized String introspection() {
        List<Introspection.Documented> documented = new ArrayList<>();
        for (BusInterface part : present) {
            documented.add(new Introspection.Documented(part.type(), part.documentation()));
        }
        return Introspection.interfacesOf(introspectionFile(), documented);
    }

    /** A proxy with every interface the object has now, each call going to the part that implements it. */
    @Override
    synchronized DBusInterface exported() {
        Map<Class<?>, Object> parts = new LinkedHashMap<>();
        parts.put(Device1.class, pairing);
        parts.put(GtkActions.class, gtkActions);
        parts.put(Properties.class, this);
        for (BusSurface surface : surfaces.values()) {
            for (BusInterface part : surface.interfaces()) {
                if (!part.whenApplicable() || present.contains(part)) {
                    parts.put(part.type(), part.implementation());
                }
            }
        }
        InvocationHandler calls = (proxy, method, args) -> {
            Class<?> declaring = method.getDeclaringClass();
            if (declaring == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> getObjectPath();
                };
            }
            Object part = parts.getOrDefault(declaring, this);
            try {
                return method.invoke(part, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (DBusInterface) Proxy.newProxyInstance(DeviceObject.class.getClassLoader(),
                parts.keySet().toArray(Class<?>[]::new), calls);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String path() {
        return getObjectPath();
    }

    /** The daemon's device, or the last one seen when the daemon just forgot it. */
    private Device current() {
        daemon.devices().find(id).filter(d -> d.id().equals(id)).ifPresent(d -> last = d);
        return last;
    }

    private static String encryptionInfo(Device device) {
        return device.verificationKey().map(key -> "verification key " + key).orElseGet(device::encryptionInfo);
    }

    private static String pairingState(Device device) {
        return switch (device.pairingState()) {
            case NOT_PAIRED -> "unpaired";
            case REQUESTED_BY_US -> "requested-by-us";
            case REQUESTED_BY_PEER -> "requested-by-device";
            case PAIRED -> "paired";
        };
    }

    /** The plugins' own interfaces that belong on the device as it is now (capabilities change on reconnect). */
    private Set<BusInterface> applicable() {
        Set<BusInterface> applicable = new LinkedHashSet<>();
        Device device = current();
        surfaces.forEach((plugin, surface) -> {
            if (Plugins.appliesTo(plugin, device)) {
                surface.interfaces().stream().filter(BusInterface::whenApplicable).forEach(applicable::add);
            }
        });
        return applicable;
    }

    private void declare(BusInterface part) {
        List<Property> properties = new ArrayList<>();
        for (BusProperty property : part.properties()) {
            properties.add(Property.of(property.name(), property.signature(), property.value()));
        }
        declare(interfaceName(part), properties);
    }

    private static String interfaceName(BusInterface part) {
        return DBusNamingUtil.getInterfaceName(part.type());
    }

    /**
     * Publishes changed properties, plugins' interfaces that came or went (the object is exported
     * again with them), and the actions' enabled state when it flipped.
     */
    void update() {
        Set<BusInterface> now = applicable();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        synchronized (this) {
            if (!now.equals(present)) {
                for (BusInterface part : present) {
                    if (!now.contains(part)) {
                        withdraw(interfaceName(part));
                        removed.add(interfaceName(part));
                    }
                }
                for (BusInterface part : now) {
                    if (!present.contains(part)) {
                        declare(part);
                        added.add(interfaceName(part));
                    }
                }
                present = now;
            }
        }
        if (!added.isEmpty() || !removed.isEmpty()) {
            service.reexport(this, added, removed);
        }
        refresh();
        boolean enabled = enabled();
        synchronized (this) {
            if (actionsEnabled != null && actionsEnabled == enabled) {
                return;
            }
            actionsEnabled = enabled;
        }
        Map<String, Boolean> changes = new LinkedHashMap<>();
        actions.keySet().forEach(name -> changes.put(name, enabled));
        emit(() -> new GtkActions.Changed(getObjectPath(), List.of(), changes, Map.of(), Map.of()));
    }

    /** PropertiesChanged for what changed of {@code plugin}'s interfaces on this device, and nothing else read. */
    void refresh(Plugin plugin) {
        List<String> names = new ArrayList<>();
        synchronized (this) {
            BusSurface surface = surfaces.get(plugin);
            if (surface == null) {
                return;
            }
            surface.interfaces().stream().filter(present::contains).map(DeviceObject::interfaceName)
                    .forEach(names::add);
        }
        if (!names.isEmpty()) {
            refresh(names);
        }
    }

    private boolean enabled() {
        Device device = current();
        return device.isPaired() && device.isReachable();
    }

    // --- what plugins reach the device through

    @Override
    public <T> T call(String doing, Call<T> action) {
        Device device = daemon.devices().find(id).filter(d -> d.id().equals(id)).orElseThrow(() ->
                new Error.UnknownDevice("gsbridge no longer knows the device " + id));
        try {
            return action.run(device);
        } catch (DeviceException | RuntimeException e) {
            throw Errors.map(doing, device.name(), id, e);
        } finally {
            update();
        }
    }

    @Override
    public String exportTransfer(Transfer transfer) {
        service.addTransfer(transfer);
        return DbusService.transferPath(transfer.id());
    }

    // --- io.github.gsbridge.Device1, the pairing part

    private final class PairingMethods implements Device1 {
        @Override
        public void RequestPair() {
            run("pair with", Device::requestPair);
        }

        @Override
        public void AcceptPair() {
            run("accept the pair request of", Device::acceptPair);
        }

        @Override
        public void RejectPair() {
            run("reject the pair request of", Device::rejectPair);
        }

        @Override
        public void Unpair() {
            run("unpair", Device::unpair);
        }

        @Override
        public String getObjectPath() {
            return path();
        }
    }

    // --- org.gtk.Actions (GSConnect's device actions, contributed by the plugins)

    private final class Actions implements GtkActions {
        @Override
        public List<String> List() {
            return List.copyOf(actions.keySet());
        }

        @Override
        public Description Describe(String actionName) {
            return describe(action(actionName));
        }

        @Override
        public Map<String, Description> DescribeAll() {
            Map<String, Description> all = new LinkedHashMap<>();
            actions.forEach((name, action) -> all.put(name, describe(action)));
            return all;
        }

        private Description describe(GtkAction action) {
            return new Description(enabled(), action.parameterType(), new Variant<?>[0]);
        }

        @Override
        public void Activate(String actionName, List<Variant<?>> parameter, Map<String, Variant<?>> platformData) {
            GtkAction action = action(actionName);
            if (action.signature().isEmpty()) {
                if (!parameter.isEmpty()) {
                    throw new Error.InvalidArgument("action " + actionName + " takes no parameter");
                }
                action.activate().accept(null);
                return;
            }
            if (parameter.size() != 1 || !action.signature().equals(parameter.get(0).getSig())) {
                throw new Error.InvalidArgument("action " + actionName + " takes one parameter of type "
                        + action.signature() + (parameter.isEmpty() ? ", none was given"
                        : ", not " + parameter.stream().map(Variant::getSig).toList()));
            }
            Object value = parameter.get(0).getValue();
            action.activate().accept(action.signature().startsWith("(") ? structFields(value) : value);
        }

        @Override
        public void SetState(String actionName, Variant<?> value, Map<String, Variant<?>> platformData) {
            action(actionName);
            throw new Error.InvalidArgument("action " + actionName + " has no state");
        }

        private GtkAction action(String name) {
            GtkAction action = actions.get(name);
            if (action == null) {
                throw new Error.InvalidArgument("no action \"" + name + "\"; actions: "
                        + String.join(", ", actions.keySet()));
            }
            return action;
        }

        @Override
        public String getObjectPath() {
            return path();
        }
    }

    private static Object[] structFields(Object value) {
        if (value instanceof Object[] fields) {
            return fields;
        }
        if (value instanceof List<?> fields) {
            return fields.toArray();
        }
        if (value instanceof Struct struct) {
            return struct.getParameters();
        }
        throw new Error.InvalidArgument("unexpected parameter value " + value);
    }
}
