package io.github.gsbridge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.dbus.Device1;
import io.github.gsbridge.dbus.Transfer1;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.DBusSigHandler;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code gsbridge watch}: one line per event, plain or JSON. Signals are queued and printed by
 * one thread, so lines never interleave.
 */
final class Watch {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object STOPPED = new Object();

    private final Console console;
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

    Watch(Console console) {
        this.console = console;
    }

    void run(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        if (!args.positional().isEmpty()) {
            throw new Arguments.UsageException("unexpected argument \"" + args.positional().get(0) + "\"");
        }
        boolean json = args.flag("--json");
        List<AutoCloseable> handlers = new ArrayList<>();
        try {
            for (Class<? extends DBusSignal> type : List.of(ObjectManager.InterfacesAdded.class,
                    ObjectManager.InterfacesRemoved.class, Properties.PropertiesChanged.class,
                    Device1.PairRequested.class, Device1.PingReceived.class, Device1.FileReceived.class,
                    Device1.UrlReceived.class, Device1.TextReceived.class, Device1.NotificationPosted.class,
                    Device1.NotificationRemoved.class)) {
                handlers.add(subscribe(bus, type));
            }
            handlers.add(bus.connection().addSigHandler(DBus.NameOwnerChanged.class, signal -> {
                if (signal.name.equals(DbusService.BUS_NAME) && signal.newOwner.isEmpty()) {
                    queue.add(STOPPED);
                }
            }));
            // Subscribed first, then listed: a device that appears in between is reported twice, never missed.
            // The known devices come first, as DeviceAdded, so a script starts from the whole picture.
            if (!json) {
                console.out().println("Watching gsbridge; Ctrl-C stops.");
            }
            bus.remote(DbusService.MANAGER_PATH, ObjectManager.class).GetManagedObjects().forEach((path, interfaces) -> {
                if (interfaces.containsKey(Device1.NAME)) {
                    print(new Known(path.getPath(), interfaces), json);
                }
            });
            while (true) {
                Object next = queue.take();
                if (next == STOPPED) {
                    throw new CliFailure("gsbridge stopped");
                }
                print(next, json);
            }
        } catch (DBusException e) {
            throw new CliFailure("cannot subscribe to gsbridge's signals: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (AutoCloseable handler : handlers) {
                try {
                    handler.close();
                } catch (Exception e) {
                    // The connection closes right after; nothing is left to clean up.
                }
            }
        }
    }

    private <T extends DBusSignal> AutoCloseable subscribe(BusClient bus, Class<T> type) throws DBusException {
        DBusSigHandler<T> handler = queue::add;
        return bus.connection().addSigHandler(type, handler);
    }

    /** A device that was there when watching started; printed like its InterfacesAdded. */
    private record Known(String path, Map<String, Map<String, Variant<?>>> interfaces) { }

    private void print(Object signal, boolean json) {
        Map<String, Object> event = describe(signal);
        if (event == null) {
            return;
        }
        if (json) {
            try {
                console.out().println(JSON.writeValueAsString(event));
            } catch (JsonProcessingException e) {
                console.err().println("gsbridge watch: cannot write " + event + ": " + e.getMessage());
            }
        } else {
            console.out().println(line(event));
        }
        console.out().flush();
    }

    /** The event as a JSON object: "event", "object", the device's "device" name, then its fields. */
    private Map<String, Object> describe(Object signal) {
        Map<String, Object> event = new LinkedHashMap<>();
        String object = signal instanceof DBusSignal dbusSignal ? dbusSignal.getPath() : ((Known) signal).path();
        Map<String, Map<String, Variant<?>>> added = signal instanceof ObjectManager.InterfacesAdded a
                ? a.getInterfaces() : signal instanceof Known known ? known.interfaces() : null;
        if (added != null) {
            if (signal instanceof ObjectManager.InterfacesAdded a) {
                object = a.getSignalSource().getPath();
            }
            Map<String, Variant<?>> device = added.get(Device1.NAME);
            Map<String, Variant<?>> transfer = added.get(Transfer1.NAME);
            if (device != null) {
                names.put(object, String.valueOf(device.get("Name").getValue()));
                event.put("event", "DeviceAdded");
                event.putAll(Plain.properties(device));
            } else if (transfer != null) {
                event.put("event", "TransferAdded");
                event.putAll(Plain.properties(transfer));
            } else {
                return null;
            }
        } else if (signal instanceof ObjectManager.InterfacesRemoved removed) {
            object = removed.getSignalSource().getPath();
            event.put("event", removed.getInterfaces().contains(Device1.NAME) ? "DeviceRemoved" : "TransferRemoved");
        } else if (signal instanceof Properties.PropertiesChanged changed) {
            if (changed.getPropertiesChanged().containsKey("Name") && changed.getInterfaceName().equals(Device1.NAME)) {
                names.put(object, String.valueOf(changed.getPropertiesChanged().get("Name").getValue()));
            }
            event.put("event", "PropertiesChanged");
            event.put("interface", changed.getInterfaceName());
            event.putAll(Plain.properties(changed.getPropertiesChanged()));
        } else if (signal instanceof Device1.PairRequested s) {
            event.put("event", "PairRequested");
            event.put("verificationKey", s.verificationKey);
        } else if (signal instanceof Device1.PingReceived s) {
            event.put("event", "PingReceived");
            event.put("message", s.message);
        } else if (signal instanceof Device1.FileReceived s) {
            event.put("event", "FileReceived");
            event.put("transfer", s.transfer.getPath());
            event.put("path", s.file);
        } else if (signal instanceof Device1.UrlReceived s) {
            event.put("event", "UrlReceived");
            event.put("url", s.url);
        } else if (signal instanceof Device1.TextReceived s) {
            event.put("event", "TextReceived");
            event.put("text", s.text);
        } else if (signal instanceof Device1.NotificationPosted s) {
            event.put("event", "NotificationPosted");
            event.put("id", s.id);
            event.put("notification", Plain.of(s.notification));
        } else if (signal instanceof Device1.NotificationRemoved s) {
            event.put("event", "NotificationRemoved");
            event.put("id", s.id);
        } else {
            return null;
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("event", event.remove("event"));
        ordered.put("object", object);
        if (names.containsKey(object)) {
            ordered.put("device", names.get(object));
        }
        ordered.putAll(event);
        return ordered;
    }

    /** The plain line: "NAME: EVENT key=value ...", or the object path where no device name applies. */
    private static String line(Map<String, Object> event) {
        StringBuilder line = new StringBuilder();
        Object subject = event.containsKey("device") ? event.get("device") : event.get("object");
        line.append(subject).append(": ").append(event.get("event"));
        event.forEach((key, value) -> {
            if (!key.equals("event") && !key.equals("object") && !key.equals("device")) {
                line.append(' ').append(key).append('=').append(value);
            }
        });
        return line.toString();
    }
}
