package io.github.gsbridge.plugin.share;

import io.github.gsbridge.credentials.GsconnectPairingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Files are received unless GSConnect's per-device {@code plugin/share/receive-files} is false.
 * They go to GSConnect's per-device {@code plugin/share/receive-directory} when set, else
 * {@code XDG_DOWNLOAD_DIR} from {@code user-dirs.dirs}, else {@code ~/Downloads}.
 */
public final class XdgDownloadDirectories implements DownloadDirectories {
    private static final Logger LOG = LoggerFactory.getLogger(XdgDownloadDirectories.class);
    private static final String DOWNLOAD_KEY = "XDG_DOWNLOAD_DIR";

    private final Map<String, String> environment;
    private final Optional<GsconnectPairingStore> gsconnect;

    public XdgDownloadDirectories(Map<String, String> environment, Optional<GsconnectPairingStore> gsconnect) {
        this.environment = Map.copyOf(environment);
        this.gsconnect = gsconnect;
    }

    @Override
    public Path directoryFor(String deviceId) throws IOException {
        Path directory = gsconnectDirectory(deviceId).orElseGet(this::xdgDownloadDirectory);
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        if (!Files.isDirectory(directory)) {
            throw new IOException("download folder " + directory + " is not a directory");
        }
        return directory;
    }

    /** GSConnect's per-device {@code plugin/share/receive-files}; unset or unreadable means yes. */
    @Override
    public boolean receivesFilesFrom(String deviceId) {
        if (gsconnect.isEmpty()) {
            return true;
        }
        try {
            return gsconnect.get().settings().receiveFiles(deviceId).orElse(true);
        } catch (IOException e) {
            // Refusing on a dconf hiccup would lose files the user wanted.
            LOG.warn("{}: cannot read GSConnect's receive-files ({}); receiving", deviceId, e.getMessage());
            return true;
        }
    }

    private Optional<Path> gsconnectDirectory(String deviceId) {
        if (gsconnect.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> setting;
        try {
            setting = gsconnect.get().settings().receiveDirectory(deviceId);
        } catch (IOException e) {
            // A dconf hiccup must not lose the file: fall back, but say where it went and why.
            LOG.warn("{}: cannot read GSConnect's receive-directory ({}); using the XDG download folder",
                    deviceId, e.getMessage());
            return Optional.empty();
        }
        // GSConnect's default is "", meaning "the XDG download folder".
        Optional<String> value = setting.filter(s -> !s.isBlank());
        if (value.isPresent() && !Path.of(value.get()).isAbsolute()) {
            LOG.warn("{}: GSConnect's receive-directory '{}' is not an absolute path; using the XDG download folder",
                    deviceId, value.get());
            return Optional.empty();
        }
        return value.map(Path::of);
    }

    /** Where files go when GSConnect names no folder for the device (not created here). */
    public Path xdgDownloadDirectory() {
        Path home = home();
        String configHome = environment.get("XDG_CONFIG_HOME");
        Path config = configHome == null || configHome.isBlank() || !Path.of(configHome).isAbsolute()
                ? home.resolve(".config") : Path.of(configHome);
        Path userDirs = config.resolve("user-dirs.dirs");
        if (Files.isReadable(userDirs)) {
            try {
                Optional<Path> download = parseUserDirs(Files.readAllLines(userDirs, StandardCharsets.UTF_8), home);
                if (download.isPresent()) {
                    return download.get();
                }
            } catch (IOException e) {
                LOG.warn("cannot read {} ({}); using ~/Downloads", userDirs, e.getMessage());
            }
        }
        return home.resolve("Downloads");
    }

    private Path home() {
        String home = environment.get("HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home);
    }

    /**
     * {@code XDG_DOWNLOAD_DIR} from the lines of a {@code user-dirs.dirs}: shell assignments whose
     * value is {@code "$HOME/..."} or an absolute path, in double quotes with backslash escapes.
     * The last assignment wins, as when the shell sources the file.
     */
    static Optional<Path> parseUserDirs(List<String> lines, Path home) {
        Optional<Path> found = Optional.empty();
        for (String raw : lines) {
            String line = raw.strip();
            if (!line.startsWith(DOWNLOAD_KEY + "=")) {
                continue;
            }
            String value = unquote(line.substring(DOWNLOAD_KEY.length() + 1));
            Path path = null;
            if (value.equals("$HOME") || value.equals("${HOME}")) {
                path = home;
            } else if (value.startsWith("$HOME/")) {
                path = home.resolve(value.substring("$HOME/".length()));
            } else if (value.startsWith("${HOME}/")) {
                path = home.resolve(value.substring("${HOME}/".length()));
            } else if (value.startsWith("/")) {
                path = Path.of(value);
            } else {
                LOG.warn("ignoring {}={}: neither $HOME-relative nor absolute", DOWNLOAD_KEY, value);
            }
            if (path != null) {
                found = Optional.of(path.normalize());
            }
        }
        return found;
    }

    /** Shell word: double-quoted (with {@code \" \\ \$ \`} escapes), single-quoted or bare. */
    private static String unquote(String word) {
        String text = word.strip();
        if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
            return text.substring(1, text.length() - 1);
        }
        if (!(text.length() >= 2 && text.startsWith("\"") && text.endsWith("\""))) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() - 1 && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
                c = text.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }
}
