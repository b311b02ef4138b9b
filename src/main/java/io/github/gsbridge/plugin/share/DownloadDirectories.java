package io.github.gsbridge.plugin.share;

import java.io.IOException;
import java.nio.file.Path;

/** Where files from a device go (GSConnect's per-device setting, XDG Download, ~/Downloads), if anywhere. */
public interface DownloadDirectories {
    /** The directory for this device, created (mode 0700) if missing. */
    Path directoryFor(String deviceId) throws IOException;

    /** False when the user switched off receiving files from this device. */
    default boolean receivesFilesFrom(String deviceId) {
        return true;
    }
}
