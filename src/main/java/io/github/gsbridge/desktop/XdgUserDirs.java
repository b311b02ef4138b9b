package io.github.gsbridge.desktop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user's folders as the desktop names them: {@code XDG_DOWNLOAD_DIR} from
 * {@code $XDG_CONFIG_HOME/user-dirs.dirs}, else {@code ~/Downloads}.
 */
public final class XdgUserDirs {
    private static final Logger LOG = LoggerFactory.getLogger(XdgUserDirs.class);
    private static final String DOWNLOAD_KEY = "XDG_DOWNLOAD_DIR";

    private XdgUserDirs() {}

    /** The user's download folder (not created here). */
    public static Path download(Map<String, String> environment) {
        Path home = home(environment);
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

    private static Path home(Map<String, String> environment) {
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
