package io.github.gsbridge.plugin.runcommand;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.plugin.BusInterface;
import io.github.gsbridge.plugin.BusProperty;
import io.github.gsbridge.plugin.BusSurface;
import io.github.gsbridge.plugin.DeviceRef;
import io.github.gsbridge.plugin.GtkAction;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginEvent;
import io.github.gsbridge.wire.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Run commands, both ways. {@code kdeconnect.runcommand.request} from a device asks for our list
 * ({@code requestCommandList}) or runs one of its entries ({@code key}); {@code kdeconnect.runcommand}
 * carries a list ({@code commandList}, JSON text or an object). We send our list when the device
 * connects and whenever it changes here (through us, GSConnect's preferences or the file, as
 * kdeconnect-kde sends it again when its configuration changes), and ask for the device's.
 */
public final class RunCommandPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommandPlugin.class);
    public static final String LIST = "kdeconnect.runcommand";
    public static final String REQUEST = "kdeconnect.runcommand.request";
    /** How much of an unknown key the log shows. */
    private static final int LOGGED_KEY = 80;

    /** The commands this computer offers the device changed (property Commands). */
    public record CommandsChanged(String deviceId) implements PluginEvent { }

    /** The device sent its commands (property RemoteCommands). */
    public record RemoteCommandsChanged(String deviceId, Map<String, Command> commands) implements PluginEvent { }

    private final EventBus events;
    private final CommandStore store;
    private final CommandRunner runner;
    private final Map<String, Map<String, Command>> remote = new ConcurrentHashMap<>();
    /**
     * Each device's list as last read from the store: property Commands is read with every change
     * of the device's object, and reading GSConnect's list runs dconf. The store's changes are
     * followed; a run request and a connection still read the store itself.
     */
    private final Map<String, Map<String, Command>> known = new ConcurrentHashMap<>();
    private final Map<String, Object> sendLocks = new ConcurrentHashMap<>();
    private final Map<String, Device> connected = new ConcurrentHashMap<>();
    private final AutoCloseable following;

    RunCommandPlugin(EventBus events, CommandStore store, CommandRunner runner) {
        this.events = events;
        this.store = store;
        this.runner = runner;
        this.following = follow(events, store);
    }

    private AutoCloseable follow(EventBus events, CommandStore store) {
        try {
            return store.follow(events, this::storeChanged);
        } catch (IOException e) {
            LOG.warn("cannot follow the command lists in {} ({}); an edit made there reaches a device when it "
                    + "connects again", store.describe(), e.getMessage());
            return () -> { };
        }
    }

    @Override
    public String name() {
        return "runcommand";
    }

    @Override
    public Set<String> incomingPacketTypes() {
        return Set.of(LIST, REQUEST);
    }

    @Override
    public Set<String> outgoingPacketTypes() {
        return Set.of(LIST, REQUEST);
    }

    @Override
    public void connected(Device device) {
        connected.put(device.id(), device);
        sendOurs(device);
        try {
            requestTheirs(device);
        } catch (DeviceException e) {
            LOG.debug("{}: not asking for its commands: {}", device, e.getMessage());
        }
    }

    @Override
    public void disconnected(Device device) {
        connected.remove(device.id(), device);
    }

    @Override
    public void handle(Device device, Packet packet) {
        if (packet.isType(REQUEST)) {
            Optional<String> key = packet.text("key");
            if (key.isPresent()) {
                runRequested(device, key.get());
            } else if (packet.bool("requestCommandList").orElse(false)) {
                sendOurs(device);
            } else {
                // kdeconnect-kde's "setup" opens its settings there; the list is edited here instead.
                LOG.info("{}: ignored {} without a key or requestCommandList: {}", device, REQUEST, packet.body());
            }
        } else if (packet.body().has("commandList")) {
            receiveTheirs(device, packet.body().get("commandList"));
        } else {
            LOG.info("{}: ignored {} without a commandList", device, LIST);
        }
    }

    private void runRequested(Device device, String key) {
        Map<String, Command> commands;
        try {
            // The store itself, not what we knew: a command removed elsewhere never runs.
            commands = reread(device.id());
        } catch (IOException e) {
            LOG.warn("{}: refused to run command {}: its command list cannot be read: {}", device, shown(key),
                    e.getMessage());
            return;
        }
        Command command = commands.get(key);
        if (command == null) {
            LOG.warn("{}: refused to run command {}: not a key of the commands it may run (in {})", device,
                    shown(key), store.describe());
            return;
        }
        runner.start(device, key, command);
    }

    private static String shown(String key) {
        return key.length() > LOGGED_KEY ? "'" + key.substring(0, LOGGED_KEY) + "…' (" + key.length() + " characters)"
                : "'" + key + "'";
    }

    private void receiveTheirs(Device device, JsonNode field) {
        JsonNode list = field;
        if (field.isTextual()) {
            // kdeconnect-kde, GSConnect and Android send the list as JSON text inside the packet.
            try {
                list = CommandLists.JSON.readTree(field.asText());
            } catch (JsonProcessingException e) {
                LOG.warn("{}: ignored its command list: not JSON ({})", device, e.getOriginalMessage());
                return;
            }
        }
        if (list == null || !list.isObject()) {
            LOG.warn("{}: ignored its command list: not a JSON object", device);
            return;
        }
        CommandLists.Parsed parsed = CommandLists.parse(list);
        if (parsed.skipped() > 0) {
            LOG.warn("{}: left out {} entries of its command list (not a name and a command, too long, or beyond {})",
                    device, parsed.skipped(), CommandLists.MAX_COMMANDS);
        }
        Map<String, Command> commands = Collections.unmodifiableMap(parsed.commands());
        LOG.info("{}: offers {} commands", device, commands.size());
        remote.put(device.id(), commands);
        events.publish(new RemoteCommandsChanged(device.id(), commands));
    }

    /** The device's commands, as it last sent them (kept while it is away); empty before it has. */
    public Map<String, Command> remoteCommands(String deviceId) {
        return remote.getOrDefault(deviceId, Map.of());
    }

    /** Adds a command the device may run here and tells the device; returns its key. */
    public String add(Device device, String name, String command) throws IOException {
        if (name.isBlank() || command.isBlank()) {
            throw new IllegalArgumentException("a command needs a name and a command line");
        }
        // GSConnect's preferences make the same kind of key.
        String key = UUID.randomUUID().toString();
        store.put(device.id(), key, new Command(name, command));
        changed(device);
        return key;
    }

    /** Removes one of the commands the device may run here, and tells the device. */
    public void remove(Device device, String key) throws IOException {
        if (!store.remove(device.id(), key)) {
            throw new IllegalArgumentException("it has no command with the key " + key);
        }
        changed(device);
    }

    private void changed(Device device) {
        if (device.isReachable()) {
            sendOurs(device);
        } else {
            try {
                reread(device.id());
            } catch (IOException e) {
                LOG.warn("{}: cannot read the commands it may run: {}", device.id(), e.getMessage());
            }
        }
    }

    /** Reads the device's list from the store; when it is not the one known, CommandsChanged tells the bus. */
    private synchronized Map<String, Command> reread(String deviceId) throws IOException {
        Map<String, Command> now = Collections.unmodifiableMap(store.list(deviceId));
        if (!now.equals(known.put(deviceId, now))) {
            events.publish(new CommandsChanged(deviceId));
        }
        return now;
    }

    /** The store says the lists of some devices may have changed: the connected ones whose list did get it again. */
    private void storeChanged(Predicate<String> concerns) {
        List<Device> outgoing = new ArrayList<>();
        synchronized (this) {
            for (String deviceId : List.copyOf(known.keySet())) {
                if (!concerns.test(deviceId)) {
                    continue;
                }
                Map<String, Command> before = known.get(deviceId);
                Map<String, Command> now;
                try {
                    now = reread(deviceId);
                } catch (IOException e) {
                    LOG.warn("{}: cannot read the commands it may run after a change in {}: {}", deviceId,
                            store.describe(), e.getMessage());
                    continue;
                }
                Device device = connected.get(deviceId);
                if (!now.equals(before) && device != null && device.isReachable()) {
                    outgoing.add(device);
                }
            }
        }
        // Sent outside the lock: sending may wait for a link whose thread waits for the lock (a run request).
        for (Device device : outgoing) {
            LOG.info("{}: the commands it may run changed in {}; sending them", device, store.describe());
            sendKnown(device);
        }
    }

    private void sendOurs(Device device) {
        try {
            reread(device.id());
        } catch (IOException e) {
            LOG.warn("{}: cannot send the commands it may run: {}", device, e.getMessage());
            return;
        }
        sendKnown(device);
    }

    /**
     * Sends the list known when the device's send lock is held, not the one read before: of two
     * threads that read, then send, the later read could otherwise go out first, and the device
     * would keep showing a command just removed.
     */
    private void sendKnown(Device device) {
        synchronized (sendLocks.computeIfAbsent(device.id(), id -> new Object())) {
            Map<String, Command> commands = known.get(device.id());
            if (commands != null) {
                send(device, commands);
            }
        }
    }

    private static void send(Device device, Map<String, Command> commands) {
        Packet packet = new Packet(LIST);
        packet.body().put("commandList", CommandLists.toJson(commands).toString());
        // "Add command" on the device would ask us to open a settings window; there is none.
        packet.body().put("canAddCommand", false);
        try {
            device.send(packet);
        } catch (DeviceException e) {
            LOG.debug("{}: cannot send the commands it may run: {}", device, e.getMessage());
        }
    }

    public void requestTheirs(Device device) throws DeviceException {
        Packet packet = new Packet(REQUEST);
        packet.body().put("requestCommandList", true);
        device.send(packet);
    }

    /** Asks the device to run its command {@code key}, one of those it sent. */
    public void runRemote(Device device, String key) throws DeviceException {
        Map<String, Command> commands = remoteCommands(device.id());
        Command command = commands.get(key);
        if (command == null) {
            throw new IllegalArgumentException(commands.isEmpty() ? "it has sent no commands"
                    : "it has no command with the key " + key + " (it has: " + CommandLists.names(commands) + ")");
        }
        Packet packet = new Packet(REQUEST);
        packet.body().put("key", key);
        device.send(packet);
        LOG.info("{}: asked to run \"{}\" ({})", device, command.name(), key);
    }

    @Override
    public BusSurface busSurface(DeviceRef device) {
        RunCommand1 methods = new RunCommand1() {
            @Override
            public String AddCommand(String name, String command) {
                return device.call("add a command for", d -> stored(() -> add(d, name, command)));
            }

            @Override
            public void RemoveCommand(String key) {
                device.run("remove a command of", d -> stored(() -> {
                    remove(d, key);
                    return null;
                }));
            }

            @Override
            public void RunRemoteCommand(String key) {
                device.run("run a command on", d -> runRemote(d, key));
            }

            @Override
            public void RequestRemoteCommands() {
                device.run("ask for the commands of", RunCommandPlugin.this::requestTheirs);
            }

            @Override
            public String getObjectPath() {
                return device.path();
            }
        };
        List<BusProperty> properties = List.of(
                new BusProperty("Commands", RunCommand1.LIST_SIGNATURE,
                        () -> CommandLists.toBus(localOrEmpty(device.id()))),
                new BusProperty("RemoteCommands", RunCommand1.LIST_SIGNATURE,
                        () -> CommandLists.toBus(remoteCommands(device.id()))));
        // GSConnect's device menu runs the device's commands through this action.
        return new BusSurface(List.of(BusInterface.of(RunCommand1.class, methods, properties,
                "io.github.gsbridge.RunCommand1.xml")),
                List.of(GtkAction.of("executeCommand", "s", key -> methods.RunRemoteCommand((String) key))));
    }

    private Map<String, Command> localOrEmpty(String deviceId) {
        Map<String, Command> commands = known.get(deviceId);
        if (commands != null) {
            return commands;
        }
        try {
            return reread(deviceId);
        } catch (IOException e) {
            LOG.warn("{}: cannot read the commands it may run: {}", deviceId, e.getMessage());
            return Map.of();
        }
    }

    @Override
    public void close() {
        try {
            following.close();
        } catch (Exception e) {
            LOG.debug("cannot stop following {}: {}", store.describe(), e.getMessage());
        }
    }

    /** A change of the stored lists; a store that fails is a failure the caller reads. */
    private static <T> T stored(Storing<T> action) throws DeviceException {
        try {
            return action.run();
        } catch (IOException e) {
            throw new DeviceException("the command list cannot be saved: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Storing<T> {
        T run() throws IOException;
    }
}
