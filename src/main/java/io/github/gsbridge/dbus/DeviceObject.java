package io.github.gsbridge.dbus;

import io.github.gsbridge.Error;
import io.github.gsbridge.daemon.Daemon;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.findmyphone.FindMyPhonePlugin;
import io.github.gsbridge.plugin.notification.NotificationPlugin;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.plugin.share.SharePlugin;
import io.github.gsbridge.transfer.Transfer;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Marshalling;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A device on the bus: {@code io.github.gsbridge.Device1} and GSConnect's {@code org.gtk.Actions}. */
final class DeviceObject extends BusObject implements Device1, GtkActions {
    private final String id;
    private final Daemon daemon;
    private final DbusService service;
    private final Map<String, Action> actions = new LinkedHashMap<>();
    private volatile Device last;
    private Boolean actionsEnabled;

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
        defineActions();
        actionsEnabled = enabled();
    }

    @Override
    String introspectionFile() {
        return "io.github.gsbridge.Device1.xml";
    }

    String id() {
        return id;
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

    /** Publishes changed properties, and the actions' enabled state when it flipped. */
    void update() {
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
        emit(() -> new Changed(getObjectPath(), List.of(), changes, Map.of(), Map.of()));
    }

    private boolean enabled() {
        Device device = current();
        return device.isPaired() && device.isReachable();
    }

    // --- io.github.gsbridge.Device1

    @Override
    public void RequestPair() {
        call("RequestPair", Device::requestPair);
    }

    @Override
    public void AcceptPair() {
        call("AcceptPair", Device::acceptPair);
    }

    @Override
    public void RejectPair() {
        call("RejectPair", Device::rejectPair);
    }

    @Override
    public void Unpair() {
        call("Unpair", Device::unpair);
    }

    @Override
    public void Ping(String message) {
        call("Ping", device -> plugin(PingPlugin.class).ping(device, Optional.of(message).filter(m -> !m.isEmpty())));
    }

    @Override
    public void Ring() {
        call("Ring", device -> plugin(FindMyPhonePlugin.class).ring(device));
    }

    @Override
    public DBusPath ShareFiles(List<String> pathsOrFileUris, boolean open) {
        return query("ShareFiles", device -> {
            Transfer transfer = plugin(SharePlugin.class).shareFiles(device, Arguments.files(pathsOrFileUris), open);
            service.addTransfer(transfer);
            return new DBusPath(DbusService.transferPath(transfer.id()));
        });
    }

    @Override
    public void ShareUrl(String url) {
        call("ShareUrl", device -> plugin(SharePlugin.class).shareUrl(device, url));
    }

    @Override
    public void ShareText(String text) {
        call("ShareText", device -> plugin(SharePlugin.class).shareText(device, text));
    }

    @Override
    public String SendNotification(Map<String, Variant<?>> notification) {
        return query("SendNotification", device -> plugin(NotificationPlugin.class)
                .send(device, Arguments.notification(notification, false)));
    }

    @Override
    public void WithdrawNotification(String notificationId) {
        call("WithdrawNotification", device -> plugin(NotificationPlugin.class).withdraw(device, notificationId));
    }

    @Override
    public void DismissNotification(String notificationId) {
        call("DismissNotification", device -> plugin(NotificationPlugin.class).dismiss(device, notificationId));
    }

    @Override
    public void ReplyNotification(String notificationId, String message) {
        call("ReplyNotification", device -> plugin(NotificationPlugin.class).reply(device, notificationId, message));
    }

    @Override
    public void ActivateNotificationAction(String notificationId, String action) {
        call("ActivateNotificationAction",
                device -> plugin(NotificationPlugin.class).activate(device, notificationId, action));
    }

    @Override
    public List<Map<String, Variant<?>>> ListNotifications() {
        return query("ListNotifications", device -> {
            List<Map<String, Variant<?>>> list = new ArrayList<>();
            for (NotificationPlugin.DeviceNotification notification : plugin(NotificationPlugin.class).list(id)) {
                list.add(dictionary(notification));
            }
            return list;
        });
    }

    /** A device notification as ListNotifications and NotificationPosted describe it. */
    static Map<String, Variant<?>> dictionary(NotificationPlugin.DeviceNotification notification) {
        Map<String, Variant<?>> values = new LinkedHashMap<>();
        values.put("id", new Variant<>(notification.id(), "s"));
        values.put("appName", new Variant<>(notification.appName(), "s"));
        values.put("title", new Variant<>(notification.title(), "s"));
        values.put("text", new Variant<>(notification.text(), "s"));
        values.put("ticker", new Variant<>(notification.ticker(), "s"));
        values.put("isClearable", new Variant<>(notification.clearable(), "b"));
        values.put("time", new Variant<>(notification.time(), "x"));
        values.put("actions", new Variant<>(List.copyOf(notification.actions()), "as"));
        values.put("repliable", new Variant<>(notification.repliable(), "b"));
        return values;
    }

    // --- org.gtk.Actions (GSConnect's device actions)

    /** GSConnect's {@code shareFile} parameter {@code (sb)}: a path or URI, and whether to open it. */
    public static final class FileAndOpen extends Struct {
        @Position(0)
        public final String file;
        @Position(1)
        public final boolean open;

        public FileAndOpen(String file, boolean open) {
            this.file = file;
            this.open = open;
        }
    }

    private record Action(String signature, Type[] parameterType, ActionHandler handler) { }

    @FunctionalInterface
    private interface ActionHandler {
        void activate(Object parameter);
    }

    private void defineActions() {
        Type[] none = {};
        Type[] string = {String.class};
        Type[] dictionary = javaType("a{sv}");
        actions.put("shareFile", new Action("(sb)", new Type[] {FileAndOpen.class}, parameter -> {
            Object[] fields = structFields(parameter);
            ShareFiles(List.of((String) fields[0]), (Boolean) fields[1]);
        }));
        actions.put("shareUri", new Action("s", string, parameter -> ShareUrl((String) parameter)));
        actions.put("shareText", new Action("s", string, parameter -> ShareText((String) parameter)));
        actions.put("sendNotification", new Action("a{sv}", dictionary, parameter -> {
            @SuppressWarnings("unchecked")
            Map<String, Variant<?>> values = (Map<String, Variant<?>>) parameter;
            query("sendNotification", device -> plugin(NotificationPlugin.class)
                    .send(device, Arguments.notification(values, true)));
        }));
        actions.put("withdrawNotification", new Action("s", string,
                parameter -> WithdrawNotification((String) parameter)));
        actions.put("ping", new Action("s", string, parameter -> Ping((String) parameter)));
        actions.put("ring", new Action("", none, parameter -> Ring()));
    }

    private static Type[] javaType(String signature) {
        List<Type> types = new ArrayList<>();
        try {
            Marshalling.getJavaType(signature, types, -1);
        } catch (DBusException e) {
            throw new IllegalStateException("bad signature " + signature, e);
        }
        return types.toArray(new Type[0]);
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

    private Description describe(Action action) {
        return new Description(enabled(), action.parameterType(), new Variant<?>[0]);
    }

    @Override
    public void Activate(String actionName, List<Variant<?>> parameter, Map<String, Variant<?>> platformData) {
        Action action = action(actionName);
        if (action.signature().isEmpty()) {
            if (!parameter.isEmpty()) {
                throw new Error.InvalidArgument("action " + actionName + " takes no parameter");
            }
            action.handler().activate(null);
            return;
        }
        if (parameter.size() != 1 || !action.signature().equals(parameter.get(0).getSig())) {
            throw new Error.InvalidArgument("action " + actionName + " takes one parameter of type "
                    + action.signature() + (parameter.isEmpty() ? ", none was given"
                    : ", not " + parameter.stream().map(Variant::getSig).toList()));
        }
        action.handler().activate(parameter.get(0).getValue());
    }

    @Override
    public void SetState(String actionName, Variant<?> value, Map<String, Variant<?>> platformData) {
        action(actionName);
        throw new Error.InvalidArgument("action " + actionName + " has no state");
    }

    private Action action(String name) {
        Action action = actions.get(name);
        if (action == null) {
            throw new Error.InvalidArgument("no action \"" + name + "\"; actions: " + String.join(", ", actions.keySet()));
        }
        return action;
    }

    // --- calling into the daemon

    @FunctionalInterface
    private interface DeviceCall<T> {
        T run(Device device) throws DeviceException;
    }

    @FunctionalInterface
    private interface DeviceAction {
        void run(Device device) throws DeviceException;
    }

    private void call(String operation, DeviceAction action) {
        query(operation, device -> {
            action.run(device);
            return null;
        });
    }

    /** Runs an operation on the device; every failure becomes a D-Bus error naming the operation and the device. */
    private <T> T query(String operation, DeviceCall<T> action) {
        Device device = daemon.devices().find(id).filter(d -> d.id().equals(id)).orElseThrow(() ->
                new Error.UnknownDevice("gsbridge no longer knows the device " + id));
        try {
            return action.run(device);
        } catch (DeviceException | RuntimeException e) {
            throw Errors.map(operation, device.name(), id, e);
        } finally {
            update();
        }
    }

    private <T extends Plugin> T plugin(Class<T> type) {
        try {
            return daemon.plugins().get(type);
        } catch (IllegalArgumentException e) {
            throw new Error.Failed("this gsbridge runs without the " + type.getSimpleName() + ": " + e.getMessage());
        }
    }
}
