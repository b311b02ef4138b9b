package io.github.gsbridge.plugin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.credentials.GVariantParseException;
import io.github.gsbridge.credentials.GVariantText;
import io.github.gsbridge.credentials.GsconnectPairingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A plugin's per-device settings ({@link PluginContext#settings}). With GSConnect's identity they
 * are GSConnect's own for the plugin ({@code device/<id>/plugin/<name>/<key>} in its dconf tree),
 * read at each use as GSConnect does, so what the user set in GSConnect's preferences holds for
 * gsbridge too. Without GSConnect they come from the plugin's own file,
 * {@code <config dir>/settings/<name>.json}: {@code {"<device id>": {"<key>": value}}}, which only
 * the user writes.
 *
 * <p>Which keys a plugin has, and their defaults, is the plugin's knowledge: it declares them
 * ({@link Switch}) in its package.
 */
public final class PluginSettings {
    private static final Logger LOG = LoggerFactory.getLogger(PluginSettings.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A switch of the plugin's.
     *
     * @param gsconnectDefault its default in GSConnect's schema, when the user never set it there
     * @param ownDefault       its default without GSConnect, which follows KDE Connect
     */
    public record Switch(String key, boolean gsconnectDefault, boolean ownDefault) { }

    /** Reads one key of a device, parsed; empty when unset. */
    @FunctionalInterface
    public interface Reader {
        /** @throws Unreadable when the value is there but is no value at all; IOException when the store fails */
        Optional<Object> read(String deviceId, String key) throws IOException;
    }

    /** Writes one key of a device in GVariant text, or resets it when empty. */
    @FunctionalInterface
    public interface Writer {
        void write(String deviceId, String key, Optional<String> gvariantText) throws IOException;
    }

    /** A value that is there but cannot be read (GSConnect's text is not GVariant, the file not JSON). */
    public static final class Unreadable extends IOException {
        public Unreadable(String message) {
            super(message);
        }
    }

    private final String plugin;
    private final boolean fromGsconnect;
    private final String where;
    private final Reader reader;
    private final Optional<Writer> writer;

    /**
     * @param plugin        the plugin's name in GSConnect's tree
     * @param fromGsconnect whether these are GSConnect's settings
     * @param where         where they are, for messages and the log
     * @param writer        empty where gsbridge writes nothing (the user's own file)
     */
    public PluginSettings(String plugin, boolean fromGsconnect, String where, Reader reader, Optional<Writer> writer) {
        this.plugin = plugin;
        this.fromGsconnect = fromGsconnect;
        this.where = where;
        this.reader = reader;
        this.writer = writer;
    }

    /** GSConnect's settings of {@code plugin} (its name in GSConnect, such as "battery"). */
    public static PluginSettings gsconnect(String plugin, GsconnectPairingStore store) {
        return new PluginSettings(plugin, true, "GSConnect's dconf settings", (deviceId, key) -> {
            Optional<String> text = store.pluginValue(deviceId, plugin, key);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(GVariantText.parse(text.get()));
            } catch (GVariantParseException e) {
                throw new Unreadable("GSConnect's setting plugin/" + plugin + "/" + key + " of " + deviceId
                        + " cannot be read: " + e.getMessage());
            }
        }, Optional.of((deviceId, key, text) -> store.writePluginValue(deviceId, plugin, key, text)));
    }

    /** The plugin's own file under gsbridge's {@code configDir}. */
    public static PluginSettings ownFile(String plugin, Path configDir) {
        Path file = configDir.resolve("settings").resolve(plugin + ".json");
        return new PluginSettings(plugin, false, file.toString(), (deviceId, key) -> {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            JsonNode root;
            try {
                root = JSON.readTree(file.toFile());
            } catch (JsonProcessingException e) {
                throw new Unreadable(file + " is not valid JSON: " + e.getOriginalMessage());
            }
            JsonNode device = root == null ? null : root.path(deviceId);
            if (device == null || !root.isObject() || !device.isMissingNode() && !device.isObject()) {
                throw new Unreadable(file + " does not hold a JSON object of device ids, each with an object of settings");
            }
            JsonNode value = device.path(key);
            return value.isMissingNode() || value.isNull() ? Optional.empty()
                    : Optional.of(JSON.treeToValue(value, Object.class));
        }, Optional.empty());
    }

    /** Whether these are GSConnect's settings (for the words of a message, and which default applies). */
    public boolean fromGsconnect() {
        return fromGsconnect;
    }

    /** Where the settings are, for messages and the log. */
    public String describe() {
        return where;
    }

    /** The device's value of {@code key}, parsed; empty when unset. */
    public Optional<Object> value(String deviceId, String key) throws IOException {
        return reader.read(deviceId, key);
    }

    /**
     * The switch for the device: its default when unset, and when it is not a boolean or cannot be
     * read at all (both logged); an exception only when the store itself cannot be read.
     */
    public boolean on(String deviceId, Switch setting) throws IOException {
        boolean otherwise = byDefault(setting);
        return typed(deviceId, setting.key(), Boolean.class, "a boolean", otherwise ? "on" : "off").orElse(otherwise);
    }

    /** The switch's default here: GSConnect's, or the one without GSConnect. */
    public boolean byDefault(Switch setting) {
        return fromGsconnect ? setting.gsconnectDefault() : setting.ownDefault();
    }

    /** A text setting for the device; empty when unset, and when it is not a text or cannot be read (logged). */
    public Optional<String> text(String deviceId, String key) throws IOException {
        return typed(deviceId, key, String.class, "a text", "unset");
    }

    /** Sets {@code key} to {@code gvariantText}, where GSConnect's preferences show it; only GSConnect's settings are written. */
    public void write(String deviceId, String key, String gvariantText) throws IOException {
        writer().write(deviceId, key, Optional.of(gvariantText));
    }

    /** Resets {@code key} to its default; only GSConnect's settings are written. */
    public void reset(String deviceId, String key) throws IOException {
        writer().write(deviceId, key, Optional.empty());
    }

    private Writer writer() {
        return writer.orElseThrow(() -> new IllegalStateException("gsbridge does not write " + where));
    }

    private <T> Optional<T> typed(String deviceId, String key, Class<T> type, String expected, String taken)
            throws IOException {
        Optional<Object> value;
        try {
            value = reader.read(deviceId, key);
        } catch (Unreadable e) {
            LOG.warn("{}: {}; taking {} as {}", deviceId, e.getMessage(), key, taken);
            return Optional.empty();
        }
        if (value.isEmpty() || type.isInstance(value.get())) {
            return value.map(type::cast);
        }
        LOG.warn("{}: {} is not {} ({}); taking it as {}", deviceId, name(key), expected, value.get(), taken);
        return Optional.empty();
    }

    /** How messages name {@code key}: "GSConnect's setting plugin/battery/send-statistics". */
    public String name(String key) {
        return fromGsconnect ? "GSConnect's setting plugin/" + plugin + "/" + key : "the setting " + key + " in " + where;
    }
}
