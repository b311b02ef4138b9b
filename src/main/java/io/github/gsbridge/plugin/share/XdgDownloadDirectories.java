package io.github.gsbridge.plugin.share;

import io.github.gsbridge.credentials.GsconnectPairingStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * GSConnect's per-device {@code plugin/share/receive-directory} when set, else
 * {@code XDG_DOWNLOAD_DIR} from {@code user-dirs.dirs}, else {@code ~/Downloads}.
 */
public final class XdgDownloadDirectories implements DownloadDirectories {
    private final Map<String, String> environment;
    private final Optional<GsconnectPairingStore> gsconnect;

    public XdgDownloadDirectories(Map<String, String> environment, Optional<GsconnectPairingStore> gsconnect) {
        this.environment = Map.copyOf(environment);
        this.gsconnect = gsconnect;
    }

    @Override
    public Path directoryFor(String deviceId) throws IOException {
        throw new UnsupportedOperationException("download directories are not implemented yet");
    }
}
