package io.github.gsbridge.plugin.runcommand;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.credentials.PrivateJsonFile;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.threads.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * gsbridge's own lists when it does not run with GSConnect's settings: one private JSON file,
 * {@code {"<device id>": {"<key>": {"name": .., "command": ..}}}}.
 */
final class OwnCommandStore implements CommandStore {
    private static final Logger LOG = LoggerFactory.getLogger(OwnCommandStore.class);
    private final Path file;

    OwnCommandStore(Path configDir) {
        this.file = configDir.resolve("runcommand.json");
    }

    @Override
    public synchronized Map<String, Command> list(String deviceId) throws IOException {
        return read().getOrDefault(deviceId, Map.of());
    }

    @Override
    public synchronized void put(String deviceId, String key, Command command) throws IOException {
        Map<String, Map<String, Command>> all = read();
        all.computeIfAbsent(deviceId, id -> new LinkedHashMap<>()).put(key, command);
        write(all);
    }

    @Override
    public synchronized boolean remove(String deviceId, String key) throws IOException {
        Map<String, Map<String, Command>> all = read();
        Map<String, Command> commands = all.get(deviceId);
        if (commands == null || commands.remove(key) == null) {
            return false;
        }
        if (commands.isEmpty()) {
            all.remove(deviceId);
        }
        write(all);
        return true;
    }

    /**
     * Watches the file's directory (inotify): the file is replaced whole by our writes, and may be
     * by an editor, so the file itself cannot be watched. Any change may concern every device.
     */
    @Override
    public AutoCloseable follow(EventBus events, Consumer<Predicate<String>> changed) throws IOException {
        Files.createDirectories(file.getParent());
        WatchService watcher = file.getFileSystem().newWatchService();
        try {
            file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            watcher.close();
            throw e;
        }
        Threads.start("runcommand-file", () -> {
            try {
                while (true) {
                    WatchKey key = watcher.take();
                    boolean ours = false;
                    for (WatchEvent<?> event : key.pollEvents()) {
                        ours |= event.kind() == StandardWatchEventKinds.OVERFLOW
                                || file.getFileName().equals(event.context());
                    }
                    key.reset();
                    if (ours) {
                        changed.accept(deviceId -> true);
                    }
                }
            } catch (ClosedWatchServiceException | InterruptedException e) {
                LOG.debug("{}: no longer followed", file);
            }
        });
        return watcher;
    }

    @Override
    public String describe() {
        return file.toString();
    }

    private Map<String, Map<String, Command>> read() throws IOException {
        Map<String, Map<String, Command>> all = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return all;
        }
        JsonNode root;
        try {
            root = CommandLists.JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + " does not hold a JSON object of device ids");
        }
        root.fields().forEachRemaining(device -> {
            CommandLists.Parsed parsed = CommandLists.parse(device.getValue());
            if (parsed.skipped() > 0) {
                LOG.warn("{}: left out {} entries of device {} that are not a name and a command",
                        file, parsed.skipped(), device.getKey());
            }
            all.put(device.getKey(), new LinkedHashMap<>(parsed.commands()));
        });
        return all;
    }

    private void write(Map<String, Map<String, Command>> all) throws IOException {
        Map<String, JsonNode> json = new LinkedHashMap<>();
        all.forEach((deviceId, commands) -> json.put(deviceId, CommandLists.toJson(commands)));
        PrivateJsonFile.write(file, json);
    }
}
