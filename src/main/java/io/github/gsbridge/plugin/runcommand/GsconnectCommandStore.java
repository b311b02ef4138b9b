package io.github.gsbridge.plugin.runcommand;

import io.github.gsbridge.credentials.GVariantText;
import io.github.gsbridge.credentials.GsconnectDconf;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.plugin.PluginSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * GSConnect's own lists: the key {@code device/<id>/plugin/runcommand/command-list} of its dconf
 * tree, of type {@code a{sv}}, each value an {@code a{ss}} with "name" and "command" (as
 * GSConnect's preferences write it). Writing there too keeps one list: GSConnect's preferences show
 * what gsbridge added, and the commands still work when the user goes back to GSConnect.
 */
final class GsconnectCommandStore implements CommandStore {
    private static final Logger LOG = LoggerFactory.getLogger(GsconnectCommandStore.class);
    static final String COMMAND_LIST = "command-list";
    private final PluginSettings settings;

    /** {@code settings}: GSConnect's, of its runcommand plugin. */
    GsconnectCommandStore(PluginSettings settings) {
        this.settings = settings;
    }

    static String key(String deviceId) {
        return GsconnectDconf.PATH + "device/" + deviceId + "/plugin/runcommand/" + COMMAND_LIST;
    }

    @Override
    public synchronized Map<String, Command> list(String deviceId) throws IOException {
        // An unreadable list is an error, not an empty one: a command added then would overwrite it.
        Optional<Object> stored = settings.value(deviceId, COMMAND_LIST);
        Map<String, Command> commands = new LinkedHashMap<>();
        if (stored.isEmpty()) {
            return commands;
        }
        Object value = stored.get();
        if (!(value instanceof Map<?, ?> entries)) {
            throw new IOException(key(deviceId) + " is not a dictionary of commands");
        }
        List<Object> skipped = new ArrayList<>();
        entries.forEach((id, entry) -> {
            if (entry instanceof Map<?, ?> fields && fields.get("name") instanceof String name
                    && fields.get("command") instanceof String command) {
                commands.put(String.valueOf(id), new Command(name, command));
            } else {
                skipped.add(id);
            }
        });
        if (!skipped.isEmpty()) {
            LOG.warn("{}: left out entries that are not a name and a command: {}", key(deviceId), skipped);
        }
        return commands;
    }

    @Override
    public synchronized void put(String deviceId, String key, Command command) throws IOException {
        Map<String, Command> commands = list(deviceId);
        commands.put(key, command);
        write(deviceId, commands);
    }

    @Override
    public synchronized boolean remove(String deviceId, String key) throws IOException {
        Map<String, Command> commands = list(deviceId);
        if (commands.remove(key) == null) {
            return false;
        }
        write(deviceId, commands);
        return true;
    }

    /** The daemon's dconf watch (daemon.GsconnectSync) already follows GSConnect's tree; no watch of our own. */
    @Override
    public AutoCloseable follow(EventBus events, Consumer<Predicate<String>> changed) {
        return events.subscribe(event -> {
            if (event instanceof GsconnectDconf.KeysChanged keys) {
                changed.accept(deviceId -> keys.concerns(key(deviceId)));
            }
        })::run;
    }

    @Override
    public String describe() {
        return "GSConnect's dconf settings";
    }

    private void write(String deviceId, Map<String, Command> commands) throws IOException {
        if (commands.isEmpty()) {
            // The schema's default is the empty list.
            settings.reset(deviceId, COMMAND_LIST);
        } else {
            settings.write(deviceId, COMMAND_LIST, format(commands));
        }
    }

    /** GVariant text of an {@code a{sv}} holding {@code a{ss}} values. */
    static String format(Map<String, Command> commands) {
        List<String> entries = new ArrayList<>();
        commands.forEach((key, command) -> entries.add(GVariantText.formatString(key) + ": <{'name': "
                + GVariantText.formatString(command.name()) + ", 'command': "
                + GVariantText.formatString(command.command()) + "}>"));
        return "{" + String.join(", ", entries) + "}";
    }
}
