package io.github.gsbridge.dbus;

import io.github.gsbridge.daemon.Daemon;
import io.github.gsbridge.threads.Threads;
import io.github.gsbridge.daemon.DaemonState;
import io.github.gsbridge.handover.Handover;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.event.Event;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginEvent;
import io.github.gsbridge.transfer.Transfer;
import io.github.gsbridge.transfer.TransferEvent;
import io.github.gsbridge.transfer.Transfer1;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * gsbridge on the session bus: owns {@code io.github.gsbridge}, exports the manager, one object
 * per known device and per transfer, and turns daemon events into signals. Objects are added
 * before the name is requested, so a client activated by the name finds them all.
 */
public final class DbusService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DbusService.class);

    public static final String BUS_NAME = "io.github.gsbridge";
    public static final String MANAGER_PATH = "/io/github/gsbridge";

    private final Daemon daemon;
    private final DBusConnection bus;
    private final ManagerObject manager;
    private final Map<String, DeviceObject> devices = new ConcurrentHashMap<>();
    private final Map<Long, TransferObject> transfers = new ConcurrentHashMap<>();
    /**
     * Events are handled here, in order, not on the thread that published them: publishers may
     * hold daemon locks (pairing publishes under its lock) that reading properties needs too.
     */
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(Threads.daemon("dbus-events"));
    private Runnable unsubscribe = () -> { };
    private boolean closed;

    private DbusService(Daemon daemon, Optional<Handover> handover, DBusConnection bus) {
        this.daemon = daemon;
        this.bus = bus;
        this.manager = new ManagerObject(daemon, handover, this, bus);
    }

    /** The object path of a device: one per id, see {@link #pathElement}. */
    public static String devicePath(String deviceId) {
        return MANAGER_PATH + "/Device/" + pathElement(deviceId);
    }

    /**
     * The id as one object path element, escaped in the style of systemd's sd_bus_path_encode:
     * letters and digits stay, every other byte becomes {@code _xx}. Folding to {@code _} instead would give
     * ids that differ only in {@code -} and {@code _} one object, which a stranger could then shadow.
     */
    static String pathElement(String deviceId) {
        StringBuilder out = new StringBuilder(deviceId.length());
        for (byte b : deviceId.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                out.append(c);
            } else {
                out.append('_').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return out.toString();
    }

    public static String transferPath(long transferId) {
        return Transfer1.path(transferId);
    }

    /** The bus name is taken: another gsbridge (or something else) runs on this bus. */
    public static final class NameTakenException extends Exception {
        NameTakenException(String message) {
            super(message);
        }
    }

    /**
     * Exports everything on {@code bus} and takes the bus name. On failure nothing stays exported
     * and {@code bus} is closed; the daemon is left to the caller.
     */
    public static DbusService start(Daemon daemon, DBusConnection bus) throws NameTakenException, DBusException {
        return start(daemon, Optional.empty(), bus);
    }

    /** As {@link #start(Daemon, DBusConnection)}, with Release and TakeOver going to {@code handover}. */
    public static DbusService start(Daemon daemon, Optional<Handover> handover, DBusConnection bus)
            throws NameTakenException, DBusException {
        DbusService service = new DbusService(daemon, handover, bus);
        try {
            service.exportAll();
            service.requestName();
        } catch (NameTakenException | DBusException | RuntimeException e) {
            service.close();
            throw e;
        }
        LOG.info("D-Bus: {} on {} ({} device(s))", BUS_NAME, bus.getUniqueName(), service.devices.size());
        return service;
    }

    /** Who owns the gsbridge name on {@code bus}, without activating anything; empty when nobody. */
    public static Optional<String> nameOwner(DBusConnection bus) throws DBusException {
        DBus dbus = bus.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
        return dbus.NameHasOwner(BUS_NAME) ? Optional.of(dbus.GetNameOwner(BUS_NAME)) : Optional.empty();
    }

    private void exportAll() throws DBusException {
        export(manager);
        synchronized (this) {
            unsubscribe = daemon.events().subscribe(event -> {
                try {
                    dispatcher.execute(() -> onEvent(event));
                } catch (RejectedExecutionException e) {
                    LOG.debug("D-Bus: closed, {} not signalled", event);
                }
            });
            for (Device device : daemon.devices().devices()) {
                ensureExported(device);
            }
            for (Transfer transfer : daemon.transfers().all()) {
                addTransfer(transfer);
            }
        }
    }

    private void requestName() throws NameTakenException, DBusException {
        Optional<String> owner = nameOwner(bus);
        if (owner.isPresent()) {
            throw new NameTakenException(BUS_NAME + " is already owned by " + owner.get()
                    + " on this bus: another gsbridge is running");
        }
        try {
            bus.requestBusName(BUS_NAME);
        } catch (DBusException e) {
            throw new NameTakenException("cannot own " + BUS_NAME + " (" + e.getMessage()
                    + "): another gsbridge is probably running");
        }
    }

    private void export(BusObject object) throws DBusException {
        bus.exportObject(object.getObjectPath(), object.exported());
        SignalLookup.byDbusName(Device1.NAME);
        // Serve the checked-in interface description instead of dbus-java's (see Introspection).
        bus.getObjectTree().add(object.getObjectPath(), null, object.introspection());
    }

    /** A device whose plugins' interfaces changed is exported again with them, and the change announced. */
    void reexport(DeviceObject object, List<String> added, List<String> removed) {
        bus.unExportObject(object.getObjectPath());
        try {
            export(object);
        } catch (DBusException e) {
            LOG.warn("D-Bus: cannot export {} again: {}", object, e.getMessage());
            return;
        }
        if (!removed.isEmpty()) {
            manager.emit(() -> new ObjectManager.InterfacesRemoved(MANAGER_PATH, new DBusPath(object.getObjectPath()),
                    removed));
        }
        if (!added.isEmpty()) {
            Map<String, Map<String, Variant<?>>> interfaces = object.announce(added);
            manager.emit(() -> new ObjectManager.InterfacesAdded(MANAGER_PATH, new DBusPath(object.getObjectPath()),
                    interfaces));
        }
    }

    /** The object of a device, exported (and announced) now if it was not yet. */
    synchronized DeviceObject ensureExported(Device device) {
        DeviceObject existing = devices.get(device.id());
        if (existing != null) {
            return existing;
        }
        DeviceObject object = new DeviceObject(device, daemon, this, bus);
        add(object);
        devices.put(device.id(), object);
        return object;
    }

    private void add(BusObject object) {
        try {
            export(object);
        } catch (DBusException e) {
            LOG.warn("D-Bus: cannot export {}: {}", object, e.getMessage());
            return;
        }
        Map<String, Map<String, Variant<?>>> interfaces = object.announce();
        manager.emit(() -> new ObjectManager.InterfacesAdded(MANAGER_PATH, new DBusPath(object.getObjectPath()),
                interfaces));
    }

    private void remove(BusObject object) {
        manager.emit(() -> new ObjectManager.InterfacesRemoved(MANAGER_PATH, new DBusPath(object.getObjectPath()),
                object.interfaceNames()));
        bus.unExportObject(object.getObjectPath());
    }

    Map<DBusPath, Map<String, Map<String, Variant<?>>>> managedObjects() {
        Map<DBusPath, Map<String, Map<String, Variant<?>>>> objects = new LinkedHashMap<>();
        for (BusObject object : List.<BusObject>copyOf(devices.values())) {
            objects.put(new DBusPath(object.getObjectPath()), object.interfacesAndProperties());
        }
        for (BusObject object : List.<BusObject>copyOf(transfers.values())) {
            objects.put(new DBusPath(object.getObjectPath()), object.interfacesAndProperties());
        }
        return objects;
    }

    private synchronized void onEvent(Event event) {
        if (closed) {
            return;
        }
        if (event instanceof DeviceEvent deviceEvent) {
            onDeviceEvent(deviceEvent);
        } else if (event instanceof TransferEvent.Added added) {
            addTransfer(added.transfer());
        } else if (event instanceof TransferEvent.Changed changed) {
            TransferObject object = transfers.get(changed.transfer().id());
            if (object != null) {
                object.refresh();
            }
        } else if (event instanceof TransferEvent.Removed removed) {
            TransferObject object = transfers.remove(removed.transfer().id());
            if (object != null) {
                remove(object);
            }
        } else if (event instanceof DaemonState.StateChanged) {
            manager.refresh();
        } else if (event instanceof PluginEvent pluginEvent) {
            withDevice(pluginEvent.deviceId(), object -> signal(object, pluginEvent));
        }
    }

    /**
     * The plugins' signal for the event, and the properties of the plugin that published it: a
     * plugin's event changes nothing of Device1 (pairing, reachability and capabilities come as
     * DeviceEvents), nor another plugin's properties.
     */
    private void signal(DeviceObject object, PluginEvent event) {
        for (Plugin plugin : daemon.plugins().all()) {
            try {
                plugin.signal(event, object.getObjectPath()).ifPresent(signal -> object.emit(() -> signal));
            } catch (DBusException | RuntimeException e) {
                LOG.warn("{}: plugin {} cannot make the signal of {}: {}", object, plugin.name(), event, e.getMessage());
            }
            if (plugin.publishes(event)) {
                object.refresh(plugin);
            }
        }
    }

    private void onDeviceEvent(DeviceEvent event) {
        String deviceId = event.deviceId();
        Optional<Device> device = daemon.devices().find(deviceId).filter(d -> d.id().equals(deviceId));
        if (device.isEmpty()) {
            // Unpaired devices are forgotten when they disconnect; so is their object.
            DeviceObject object = devices.remove(deviceId);
            if (object != null) {
                remove(object);
            }
            return;
        }
        DeviceObject object = ensureExported(device.get());
        object.update();
        if (event instanceof DeviceEvent.PairRequested request) {
            object.emit(() -> new Device1.PairRequested(object.getObjectPath(), request.verificationKey()));
        }
    }

    private void withDevice(String deviceId, Consumer<DeviceObject> action) {
        daemon.devices().find(deviceId).filter(d -> d.id().equals(deviceId))
                .map(this::ensureExported).ifPresent(action);
    }

    /** Exports a transfer now (ShareFiles returns its path, so it must exist before the event is handled). */
    synchronized void addTransfer(Transfer transfer) {
        if (closed || transfers.containsKey(transfer.id())) {
            return;
        }
        TransferObject object = new TransferObject(transfer, bus);
        transfers.put(transfer.id(), object);
        add(object);
    }

    /** Releases the name first (so a new gsbridge can start at once), then withdraws every object. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            unsubscribe.run();
        }
        dispatcher.shutdown();
        try {
            // Let the signals of the last events go out before the connection closes.
            if (!dispatcher.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("D-Bus: event signals still pending at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (List.of(bus.getNames()).contains(BUS_NAME)) {
                bus.releaseBusName(BUS_NAME);
            }
        } catch (DBusException | RuntimeException e) {
            LOG.warn("D-Bus: cannot release {}: {}", BUS_NAME, e.getMessage());
        }
        bus.disconnect();
        LOG.info("D-Bus: released {}", BUS_NAME);
    }
}
