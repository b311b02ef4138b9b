package io.github.gsbridge.plugin.share;

import io.github.gsbridge.desktop.XdgUserDirs;
import io.github.gsbridge.plugin.PluginSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * Files are received unless GSConnect's per-device {@code plugin/share/receive-files} is false.
 * They go to GSConnect's per-device {@code plugin/share/receive-directory} when set, else
 * {@code XDG_DOWNLOAD_DIR} from {@code user-dirs.dirs}, else {@code ~/Downloads}. Without
 * GSConnect the same keys may be in the share plugin's own settings file.
 */
public final class XdgDownloadDirectories implements DownloadDirectories {
    private static final Logger LOG = LoggerFactory.getLogger(XdgDownloadDirectories.class);

    static final PluginSettings.Switch RECEIVE_FILES = new PluginSettings.Switch("receive-files", true, true);
    static final String RECEIVE_DIRECTORY = "receive-directory";

    private final Map<String, String> environment;
    private final PluginSettings settings;

    public XdgDownloadDirectories(Map<String, String> environment, PluginSettings settings) {
        this.environment = Map.copyOf(environment);
        this.settings = settings;
    }

    @Override
    public Path directoryFor(String deviceId) throws IOException {
        Path directory = chosenDirectory(deviceId).orElseGet(() -> XdgUserDirs.download(environment));
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        if (!Files.isDirectory(directory)) {
            throw new IOException("download folder " + directory + " is not a directory");
        }
        return directory;
    }

    /** The per-device {@code receive-files}; unset or unreadable means yes. */
    @Override
    public boolean receivesFilesFrom(String deviceId) {
        try {
            return settings.on(deviceId, RECEIVE_FILES);
        } catch (IOException e) {
            // Refusing on a dconf hiccup would lose files the user wanted.
            LOG.warn("{}: cannot read {} ({}); receiving", deviceId, settings.name(RECEIVE_FILES.key()), e.getMessage());
            return true;
        }
    }

    private Optional<Path> chosenDirectory(String deviceId) {
        Optional<String> setting;
        try {
            setting = settings.text(deviceId, RECEIVE_DIRECTORY);
        } catch (IOException e) {
            // A dconf hiccup must not lose the file: fall back, but say where it went and why.
            LOG.warn("{}: cannot read {} ({}); using the XDG download folder",
                    deviceId, settings.name(RECEIVE_DIRECTORY), e.getMessage());
            return Optional.empty();
        }
        // GSConnect's default is "", meaning "the XDG download folder".
        Optional<String> value = setting.filter(s -> !s.isBlank());
        if (value.isPresent() && !Path.of(value.get()).isAbsolute()) {
            LOG.warn("{}: {} '{}' is not an absolute path; using the XDG download folder",
                    deviceId, settings.name(RECEIVE_DIRECTORY), value.get());
            return Optional.empty();
        }
        return value.map(Path::of);
    }
}
