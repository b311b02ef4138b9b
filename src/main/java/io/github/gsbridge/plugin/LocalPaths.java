package io.github.gsbridge.plugin;

import java.net.URI;
import java.nio.file.Path;

/** Files a D-Bus caller names: the daemon does not share the caller's working directory. */
public final class LocalPaths {
    private LocalPaths() {}

    /**
     * The local file of an absolute path or a {@code file://} URI; anything else (a relative path,
     * another scheme) is an IllegalArgumentException naming it, which callers report as an invalid argument.
     */
    public static Path of(String pathOrUri) {
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
}
