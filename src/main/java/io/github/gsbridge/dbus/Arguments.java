package io.github.gsbridge.dbus;

import io.github.gsbridge.plugin.notification.NotificationPlugin;
import org.freedesktop.dbus.types.Variant;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks and converts method arguments. What is wrong is an IllegalArgumentException naming the
 * value; the caller turns it into InvalidArgument with the operation and the device.
 */
final class Arguments {
    private static final Set<String> NOTIFICATION_KEYS = Set.of("id", "appName", "title", "text", "icon", "isClearable");

    private Arguments() {}

    /**
     * Local files from absolute paths or {@code file://} URIs. The daemon does not share the
     * caller's working directory, so relative paths are refused rather than guessed.
     */
    static List<Path> files(List<String> pathsOrUris) {
        if (pathsOrUris.isEmpty()) {
            throw new IllegalArgumentException("no files given");
        }
        List<Path> files = new ArrayList<>();
        for (String entry : pathsOrUris) {
            Path file = localPath(entry);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(Files.isDirectory(file) ? entry + " is a directory, not a file"
                        : "no such file: " + entry);
            }
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read " + entry + ": permission denied");
            }
            files.add(file);
        }
        return files;
    }

    static Path localPath(String pathOrUri) {
        if (pathOrUri.startsWith("file:")) {
            try {
                return Path.of(URI.create(pathOrUri));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a local file URI: " + pathOrUri + " (" + e.getMessage() + ")");
            }
        }
        if (pathOrUri.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("only local files can be sent, not " + pathOrUri);
        }
        Path path;
        try {
            path = Path.of(pathOrUri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a file path: " + pathOrUri);
        }
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("not an absolute path: " + pathOrUri
                    + " (the daemon does not know the caller's working directory)");
        }
        return path;
    }

    /**
     * A notification from SendNotification's dictionary. {@code lenient} is for GSConnect's
     * sendNotification action: unknown keys are ignored, "body" stands for "text", and an icon
     * that is not a file (GSConnect also takes icon names) is left out.
     */
    static NotificationPlugin.Outgoing notification(Map<String, Variant<?>> dictionary, boolean lenient) {
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
                Path path = localPath(iconValue.get());
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
        return new NotificationPlugin.Outgoing(id, appName, title, text, icon, clearable);
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
}
