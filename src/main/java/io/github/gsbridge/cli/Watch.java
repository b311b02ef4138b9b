package io.github.gsbridge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.dbus.Device1;
import io.github.gsbridge.plugin.ClientContext;
import io.github.gsbridge.plugin.CommandFailure;
import io.github.gsbridge.plugin.DaemonClient;
import io.github.gsbridge.plugin.Plain;
import io.github.gsbridge.plugin.WatchFormat;
import io.github.gsbridge.transfer.Transfer1;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusSigHandler;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code gsbridge watch}: one line per event, plain or JSON. Signals are queued and printed by
 * one thread, so lines never interleave.
 */
@Command(name = "watch", description = "Prints events as they happen. It stops on Ctrl-C or when the daemon stops.")
final class Watch implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object STOPPED = new Object();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @ParentCommand
    private ClientContext console;

    @Option(names = "--json", description = "One JSON object a line, for scripts.")
    private boolean json;

    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final List<WatchFormat> formats = Gsbridge.watchFormats();

    @Override
    public Integer call() throws CommandFailure {
        DaemonClient bus = console.daemon();
        List<AutoCloseable> handlers = new ArrayList<>();
        try {
            List<Class<? extends DBusSignal>> types = new ArrayList<>(List.of(ObjectManager.InterfacesAdded.class,
                    ObjectManager.InterfacesRemoved.class, Properties.PropertiesChanged.class,
                    Device1.PairRequested.class));
            formats.forEach(format -> types.addAll(format.signals()));
            for (Class<? extends DBusSignal> type : types) {
                handlers.add(subscribe(bus, type));
            }
            handlers.add(bus.whenStopped(() -> queue.add(STOPPED)));
            // Subscribed first, then listed: a device that appears in between is reported twice, never missed.
            // The known devices come first, as DeviceAdded, so a script starts from the whole picture.
            if (!json) {
                console.out().println("Watching gsbridge; Ctrl-C stops.");
            }
            bus.remote(DbusService.MANAGER_PATH, ObjectManager.class).GetManagedObjects().forEach((path, interfaces) -> {
                if (interfaces.containsKey(Device1.NAME)) {
                    print(new Known(path.getPath(), interfaces));
                }
            });
            while (true) {
                Object next = queue.take();
                if (next == STOPPED) {
                    throw new CommandFailure("gsbridge stopped");
                }
                print(next);
            }
        } catch (DBusException e) {
            throw new CommandFailure("cannot subscribe to gsbridge's signals: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
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

    private <T extends DBusSignal> AutoCloseable subscribe(DaemonClient bus, Class<T> type) throws DBusException {
        DBusSigHandler<T> handler = queue::add;
        return bus.connection().addSigHandler(type, handler);
    }

    /** A device that was there when watching started; printed like its InterfacesAdded. */
    private record Known(String path, Map<String, Map<String, Variant<?>>> interfaces) { }

    private void print(Object signal) {
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
            String line = line(event);
            if (line == null) {
                return;
            }
            console.out().println(line);
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
            if (removed.getInterfaces().contains(Device1.NAME)) {
                event.put("event", "DeviceRemoved");
            } else if (removed.getInterfaces().contains(Transfer1.NAME)) {
                event.put("event", "TransferRemoved");
            } else {
                return null;
            }
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
        } else if (signal instanceof DBusSignal other) {
            Optional<Map<String, Object>> described = formats.stream().map(format -> format.describe(other))
                    .flatMap(Optional::stream).findFirst();
            if (described.isEmpty()) {
                return null;
            }
            event.putAll(described.get());
        } else {
            return null;
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        ordered.put("event", event.remove("event"));
        ordered.put("object", object);
        if (names.containsKey(object)) {
            ordered.put("device", names.get(object));
        }
        ordered.putAll(event);
        return ordered;
    }

    /** The time of day of a line, always with its seconds (LocalTime.toString leaves out ":00"). */
    static String clock(Instant time, ZoneId zone) {
        return CLOCK.format(LocalTime.ofInstant(time, zone));
    }

    /** The plain line: the local time, then what happened in words, by device name. */
    private String line(Map<String, Object> event) {
        String time = clock(Instant.parse(String.valueOf(event.get("time"))), ZoneId.systemDefault());
        String text = sentence(event);
        return text == null ? null : time + "  " + text;
    }

    /** What the event means to a person, or null for what only a script cares about (progress, fingerprints). */
    private String sentence(Map<String, Object> e) {
        Object who = e.containsKey("device") ? e.get("device") : e.get("object");
        for (WatchFormat format : formats) {
            Optional<String> said = format.sentence(String.valueOf(who), e);
            if (said.isPresent()) {
                return said.get();
            }
        }
        return switch (String.valueOf(e.get("event"))) {
            case "DeviceAdded" -> who + " (" + e.get("id") + "): " + (Boolean.TRUE.equals(e.get("paired"))
                    ? "paired" : "not paired") + ", " + (Boolean.TRUE.equals(e.get("reachable")) ? "reachable"
                    : "not reachable");
            case "DeviceRemoved" -> who + " is no longer known";
            case "TransferAdded" -> "transfer " + transferNumber(e.get("object")) + ": "
                    + ("in".equals(e.get("direction")) ? "receiving " : "sending ") + files(e.get("files"));
            case "TransferRemoved" -> null;
            case "PropertiesChanged" -> changed(who, e);
            case "PairRequested" -> who + " asks to pair; compare the key " + e.get("verificationKey")
                    + ", then \"gsbridge accept -d " + who + "\" or \"gsbridge reject -d " + who + "\"";
            default -> who + ": " + e.get("event");
        };
    }

    private static String changed(Object who, Map<String, Object> e) {
        List<String> parts = new ArrayList<>();
        if (Device1.NAME.equals(e.get("interface"))) {
            if (e.get("reachable") instanceof Boolean reachable) {
                parts.add(reachable ? "connected" : "disconnected");
            }
            if (e.get("paired") instanceof Boolean paired) {
                parts.add(paired ? "paired" : "not paired any more");
            }
            if (e.containsKey("name")) {
                parts.add("now called " + e.get("name"));
            }
            return parts.isEmpty() ? null : who + " " + String.join(", ", parts);
        }
        Object state = e.get("state");
        if (!Transfer1.NAME.equals(e.get("interface")) || state == null) {
            return null; // progress, or a plugin's property no plugin put in words
        }
        String error = String.valueOf(e.getOrDefault("error", ""));
        return "transfer " + transferNumber(e.get("object")) + " " + state
                + (error.isEmpty() || !"failed".equals(state) ? "" : ": " + error);
    }

    private static String transferNumber(Object path) {
        String text = String.valueOf(path);
        return text.substring(text.lastIndexOf('/') + 1);
    }

    private static String files(Object files) {
        if (files instanceof List<?> list && !list.isEmpty()) {
            return list.size() == 1 ? String.valueOf(list.get(0)) : list.size() + " files";
        }
        return "files";
    }
}
