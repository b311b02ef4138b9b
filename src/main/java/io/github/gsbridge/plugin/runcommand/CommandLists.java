package io.github.gsbridge.plugin.runcommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command lists as JSON, {@code {"key": {"name": .., "command": ..}}}: the form KDE Connect sends
 * them in, kdeconnect-kde keeps them in, and our own file uses.
 */
final class CommandLists {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A list from the device is kept and shown on the bus; a hostile one must not grow without end. */
    static final int MAX_COMMANDS = 1000;
    static final int MAX_TEXT = 4096;

    private CommandLists() {}

    /** The commands in {@code list}; entries that are no {name, command} object, or too long, are left out. */
    static Parsed parse(JsonNode list) {
        Map<String, Command> commands = new LinkedHashMap<>();
        int skipped = 0;
        Iterator<Map.Entry<String, JsonNode>> entries = list.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            JsonNode name = entry.getValue().path("name");
            JsonNode command = entry.getValue().path("command");
            boolean usable = name.isTextual() && command.isTextual() && entry.getKey().length() <= MAX_TEXT
                    && name.asText().length() <= MAX_TEXT && command.asText().length() <= MAX_TEXT;
            if (usable && commands.size() < MAX_COMMANDS) {
                commands.put(entry.getKey(), new Command(name.asText(), command.asText()));
            } else {
                skipped++;
            }
        }
        return new Parsed(commands, skipped);
    }

    /** What {@link #parse} kept, and how many entries it left out. */
    record Parsed(Map<String, Command> commands, int skipped) { }

    static ObjectNode toJson(Map<String, Command> commands) {
        ObjectNode list = JSON.createObjectNode();
        commands.forEach((key, command) -> list.putObject(key).put("name", command.name())
                .put("command", command.command()));
        return list;
    }

    /** The D-Bus form, {@code a{sa{ss}}}. */
    static Map<String, Map<String, String>> toBus(Map<String, Command> commands) {
        Map<String, Map<String, String>> bus = new LinkedHashMap<>();
        commands.forEach((key, command) -> bus.put(key, command.fields()));
        return bus;
    }

    /** "Lock (1234), Suspend (5678)", for messages. */
    static String names(Map<String, Command> commands) {
        List<String> names = commands.entrySet().stream()
                .map(entry -> entry.getValue().name() + " (" + entry.getKey() + ")").toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
