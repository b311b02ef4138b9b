package io.github.gsbridge.credentials;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * GSConnect's settings as found in a parsed {@code dconf dump} of {@link GsconnectDconf#PATH}.
 *
 * <p>dconf only stores keys that were set, so any key may be missing; that yields the default.
 * Settings that are there but have the wrong type are logged and ignored, and make the device they
 * belong to count as not paired: a broken entry must not stop the daemon, nor be trusted.
 */
public final class GsconnectSettings {
    private static final Logger LOG = LoggerFactory.getLogger(GsconnectSettings.class);
    private static final String ROOT = "/";
    private static final String DEFAULT_TYPE = "smartphone";

    private final Map<String, Map<String, Object>> sections;
    private final Optional<String> name;
    private final Optional<Boolean> enabled;
    private final List<String> deviceIds;
    private final List<PairedDevice> pairedDevices;

    private GsconnectSettings(Map<String, Map<String, Object>> sections) {
        this.sections = sections;
        this.name = rootValue("name", String.class);
        this.enabled = rootValue("enabled", Boolean.class);
        this.deviceIds = readDeviceIds();
        this.pairedDevices = readPairedDevices();
    }

    /** Takes the output of {@link DconfDump#parse}; section names are relative to {@link GsconnectDconf#PATH}. */
    public static GsconnectSettings fromDump(Map<String, Map<String, Object>> sections) {
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        sections.forEach((section, keys) -> copy.put(section, Map.copyOf(keys)));
        return new GsconnectSettings(Collections.unmodifiableMap(copy));
    }

    /** The name this computer announces. */
    public Optional<String> name() {
        return name;
    }

    public Optional<Boolean> enabled() {
        return enabled;
    }

    /** Devices GSConnect remembers (its {@code devices} key), paired or not, without duplicates. */
    public List<String> deviceIds() {
        return deviceIds;
    }

    /** Devices listed in {@code devices} with {@code paired=true} and a non-blank {@code certificate-pem}. */
    public List<PairedDevice> pairedDevices() {
        return pairedDevices;
    }

    /** Every key set for a device (empty if none), values as {@link GVariantText#parse} returns them. */
    public Map<String, Object> deviceKeys(String deviceId) {
        return sections.getOrDefault(deviceSection(deviceId), Map.of());
    }

    private static String deviceSection(String deviceId) {
        return "device/" + deviceId;
    }

    private <T> Optional<T> rootValue(String key, Class<T> type) {
        return typed(ROOT, key, sections.getOrDefault(ROOT, Map.of()), type);
    }

    private static <T> Optional<T> typed(String section, String key, Map<String, Object> keys, Class<T> type) {
        Object value = keys.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!type.isInstance(value)) {
            LOG.warn("GSConnect setting [{}] {} is {}, expected {}; ignoring it",
                    section, key, kind(value.getClass()), kind(type));
            return Optional.empty();
        }
        return Optional.of(type.cast(value));
    }

    private static String kind(Class<?> type) {
        if (List.class.isAssignableFrom(type)) {
            return "an array or tuple";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a dictionary";
        }
        return switch (type.getSimpleName()) {
            case "Boolean" -> "a boolean";
            case "String" -> "a string";
            case "Long" -> "an integer";
            case "Double" -> "a double";
            case "Optional" -> "a maybe value";
            default -> type.getSimpleName();
        };
    }

    private List<String> readDeviceIds() {
        Object value = sections.getOrDefault(ROOT, Map.of()).get("devices");
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            LOG.warn("GSConnect setting [/] devices is {}, expected an array of strings; no device is known",
                    value instanceof List ? "an array with non-string elements" : kind(value.getClass()));
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Object id : list) {
            String text = (String) id;
            // The id becomes part of a dconf path; one that cannot be a path element names no device.
            if (text.isEmpty() || text.contains("/")) {
                LOG.warn("GSConnect setting [/] devices lists an invalid device id '{}'; ignoring it", text);
            } else {
                ids.add(text);
            }
        }
        return List.copyOf(ids);
    }

    private List<PairedDevice> readPairedDevices() {
        List<PairedDevice> paired = new ArrayList<>();
        for (String id : deviceIds) {
            pairedDevice(id).ifPresent(paired::add);
        }
        return List.copyOf(paired);
    }

    private Optional<PairedDevice> pairedDevice(String id) {
        String section = deviceSection(id);
        Map<String, Object> keys = sections.getOrDefault(section, Map.of());
        List<String> wrongTypes = new ArrayList<>();
        Optional<Boolean> paired = checked(section, keys, "paired", Boolean.class, wrongTypes);
        Optional<String> certificate = checked(section, keys, "certificate-pem", String.class, wrongTypes);
        Optional<String> name = checked(section, keys, "name", String.class, wrongTypes);
        Optional<String> type = checked(section, keys, "type", String.class, wrongTypes);
        Optional<String> lastConnection = checked(section, keys, "last-connection", String.class, wrongTypes);
        if (!wrongTypes.isEmpty()) {
            LOG.warn("GSConnect device {} has settings of the wrong type ({}); treating it as not paired",
                    id, String.join(", ", wrongTypes));
            return Optional.empty();
        }
        if (!paired.orElse(false) || certificate.map(String::isBlank).orElse(true)) {
            LOG.debug("GSConnect device {} is not paired (paired={}, certificate {})", id,
                    paired.orElse(false), certificate.map(c -> c.isBlank() ? "blank" : "present").orElse("missing"));
            return Optional.empty();
        }
        return Optional.of(new PairedDevice(id, name.orElse(id), type.orElse(DEFAULT_TYPE),
                certificate.get(), lastConnection));
    }

    private static <T> Optional<T> checked(String section, Map<String, Object> keys, String key, Class<T> type,
                                           List<String> wrongTypes) {
        Optional<T> value = typed(section, key, keys, type);
        if (value.isEmpty() && keys.containsKey(key)) {
            wrongTypes.add(key);
        }
        return value;
    }
}
