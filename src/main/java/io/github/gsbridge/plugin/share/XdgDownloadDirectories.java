package io.github.gsbridge.plugin.share;

import io.github.gsbridge.credentials.GsconnectPairingStore;
import io.github.gsbridge.desktop.XdgUserDirs;
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
 * {@code XDG_DOWNLOAD_DIR} from {@code user-dirs.dirs}, else {@code ~/Downloads}.
 */
public final class XdgDownloadDirectories implements DownloadDirectories {
    private static final Logger LOG = LoggerFactory.getLogger(XdgDownloadDirectories.class);

    private final Map<String, String> environment;
    private final Optional<GsconnectPairingStore> gsconnect;

    public XdgDownloadDirectories(Map<String, String> environment, Optional<GsconnectPairingStore> gsconnect) {
        this.environment = Map.copyOf(environment);
        this.gsconnect = gsconnect;
    }

    @Override
    public Path directoryFor(String deviceId) throws IOException {
        Path directory = gsconnectDirectory(deviceId).orElseGet(() -> XdgUserDirs.download(environment));
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
}
