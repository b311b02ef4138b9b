package io.github.gsbridge.plugin.share;

import java.io.IOException;
import java.nio.file.Path;

/** Where files from a device go (GSConnect's per-device setting, XDG Download, ~/Downloads). */
public interface DownloadDirectories {
    /** The directory for this device, created (mode 0700) if missing. */
    Path directoryFor(String deviceId) throws IOException;
}
