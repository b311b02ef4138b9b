package io.github.gsbridge.plugin.runcommand;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.credentials.PrivateJsonFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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
