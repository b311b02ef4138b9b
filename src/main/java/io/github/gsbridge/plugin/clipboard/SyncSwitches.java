package io.github.gsbridge.plugin.clipboard;

import io.github.gsbridge.credentials.GsconnectPairingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the clipboard goes to and comes from a device: GSConnect's per-device "Clipboard Sync"
 * switches ({@code device/<id>/plugin/clipboard/send-content} and {@code receive-content}) when
 * gsbridge runs with GSConnect's identity, read at each use as GSConnect does.
 *
 * <p>GSConnect's schema has both off, so a GSConnect user who never switched them on keeps the
 * clipboard to themselves with gsbridge too. Without GSConnect there are no switches and both are
 * on, as in KDE Connect (kdeconnect-kde always takes a device's clipboard and sends its own by
 * default): a user without GSConnect has nothing to carry over, and gsbridge only sends what the
 * user hands it.
 */
final class SyncSwitches {
    private static final Logger LOG = LoggerFactory.getLogger(SyncSwitches.class);
    static final String SEND = "send-content";
    static final String RECEIVE = "receive-content";

    /** A device's keys under GSConnect's {@code plugin/clipboard/}. */
    @FunctionalInterface
    interface Keys {
        Map<String, Object> of(String deviceId) throws IOException;
    }

    private final Optional<Keys> gsconnect;

    SyncSwitches(Optional<Keys> gsconnect) {
        this.gsconnect = gsconnect;
    }

    static SyncSwitches of(Optional<GsconnectPairingStore> gsconnect) {
        return new SyncSwitches(gsconnect.map(store -> id -> store.settings().pluginKeys(id, "clipboard")));
    }

    /** Whether GSConnect's settings are the ones that apply (for the words of a refusal). */
    boolean fromGsconnect() {
        return gsconnect.isPresent();
    }

    /** The switch {@code key} for the device; a value of another type counts as off, and says so. */
    boolean on(String deviceId, String key) throws IOException {
        if (gsconnect.isEmpty()) {
            return true;
        }
        Object value = gsconnect.get().of(deviceId).get(key);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean on) {
            return on;
        }
        LOG.warn("{}: GSConnect's setting plugin/clipboard/{} is not a boolean ({}); taking it as off",
                deviceId, key, value);
        return false;
    }
}
