package io.github.gsbridge.plugin.notification;

import io.github.gsbridge.plugin.LocalPaths;
import org.freedesktop.dbus.types.Variant;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Notifications as D-Bus dictionaries, both ways. What is wrong with a caller's dictionary is an
 * IllegalArgumentException naming the key, reported as an invalid argument.
 */
final class NotificationArguments {
    private static final Set<String> NOTIFICATION_KEYS = Set.of("id", "appName", "title", "text", "icon", "isClearable");

    private NotificationArguments() {}

    /**
     * A notification from SendNotification's dictionary. {@code lenient} is for GSConnect's
     * sendNotification action: unknown keys are ignored, "body" stands for "text", and an icon
     * that is not a file (GSConnect also takes icon names) is left out.
     */
    static OutgoingNotification parse(Map<String, Variant<?>> dictionary, boolean lenient) {
        Map<String, Variant<?>> values = new LinkedHashMap<>(dictionary);
        if (lenient && !values.containsKey("text") && values.containsKey("body")) {
            values.put("text", values.get("body"));
        }
        if (!lenient) {
            for (String key : values.keySet()) {
                if (!NOTIFICATION_KEYS.contains(key)) {
                    throw new IllegalArgumentException("unknown notification key \"" + key + "\"; known: "
                            + String.join(", ", List.of("id", "appName", "title", "text", "icon", "isClearable")));
                }
            }
        }
        Optional<String> id = string(values, "id").filter(s -> !s.isEmpty());
        String title = string(values, "title").orElse("");
        String text = string(values, "text").orElse("");
        if (title.isEmpty() && text.isEmpty()) {
            throw new IllegalArgumentException("a notification needs a \"title\" or a \"text\"");
        }
        String appName = string(values, "appName").filter(s -> !s.isEmpty()).orElse("gsbridge");
        Optional<Path> icon = Optional.empty();
        Optional<String> iconValue = lenient && values.containsKey("icon") && !"s".equals(values.get("icon").getSig())
                ? Optional.empty() : string(values, "icon");
        if (iconValue.isPresent() && !iconValue.get().isEmpty()) {
            boolean isFile = iconValue.get().startsWith("/") || iconValue.get().startsWith("file:");
            if (isFile) {
                Path path = LocalPaths.of(iconValue.get());
                if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                    throw new IllegalArgumentException("icon " + iconValue.get() + " is not a readable file");
                }
                icon = Optional.of(path);
            } else if (!lenient) {
                throw new IllegalArgumentException("icon must be an absolute path or file:// URI of an image, not \""
                        + iconValue.get() + "\"");
            }
        }
        boolean clearable = true;
        if (values.containsKey("isClearable")) {
            Variant<?> value = values.get("isClearable");
            if (!"b".equals(value.getSig())) {
                throw new IllegalArgumentException("notification key \"isClearable\" takes a boolean (b), not "
                        + value.getSig());
            }
            clearable = (Boolean) value.getValue();
        }
        return new OutgoingNotification(id, appName, title, text, icon, clearable);
    }

    private static Optional<String> string(Map<String, Variant<?>> values, String key) {
        Variant<?> value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!"s".equals(value.getSig())) {
            throw new IllegalArgumentException("notification key \"" + key + "\" takes a string (s), not "
                    + value.getSig());
        }
        return Optional.of((String) value.getValue());
    }

    /** A device notification as ListNotifications and NotificationPosted describe it. */
    static Map<String, Variant<?>> dictionary(DeviceNotification notification) {
        Map<String, Variant<?>> values = new LinkedHashMap<>();
        values.put("id", new Variant<>(notification.id(), "s"));
        values.put("appName", new Variant<>(notification.appName(), "s"));
        values.put("title", new Variant<>(notification.title(), "s"));
        values.put("text", new Variant<>(notification.text(), "s"));
        values.put("ticker", new Variant<>(notification.ticker(), "s"));
        values.put("isClearable", new Variant<>(notification.clearable(), "b"));
        values.put("time", new Variant<>(notification.time(), "x"));
        values.put("actions", new Variant<>(List.copyOf(notification.actions()), "as"));
        values.put("repliable", new Variant<>(notification.repliable(), "b"));
        return values;
    }
}
