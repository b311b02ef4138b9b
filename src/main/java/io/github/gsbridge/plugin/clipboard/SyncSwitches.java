package io.github.gsbridge.plugin.clipboard;

import io.github.gsbridge.plugin.PluginSettings;

import java.io.IOException;

/**
 * Whether the clipboard goes to and comes from a device: GSConnect's per-device "Clipboard Sync"
 * switches ({@code device/<id>/plugin/clipboard/send-content} and {@code receive-content}) when
 * gsbridge runs with GSConnect's identity, read at each use as GSConnect does.
 *
 * <p>GSConnect's schema has both off, so a GSConnect user who never switched them on keeps the
 * clipboard to themselves with gsbridge too. Without GSConnect both are on unless the user's own
 * settings file says otherwise, as in KDE Connect (kdeconnect-kde always takes a device's
 * clipboard and sends its own by default): a user without GSConnect has nothing to carry over,
 * and gsbridge only sends what the user hands it.
 */
final class SyncSwitches {
    static final PluginSettings.Switch SEND = new PluginSettings.Switch("send-content", false, true);
    static final PluginSettings.Switch RECEIVE = new PluginSettings.Switch("receive-content", false, true);

    private final PluginSettings settings;

    SyncSwitches(PluginSettings settings) {
        this.settings = settings;
    }

    /** The switch for the device; a value of another type counts as its default, and says so. */
    boolean on(String deviceId, PluginSettings.Switch setting) throws IOException {
        return settings.on(deviceId, setting);
    }

    /** Where a switch is set, for the words of a refusal: {@code gsconnectWords} name it in GSConnect's preferences. */
    String where(String gsconnectWords) {
        return settings.fromGsconnect() ? "GSConnect's settings (" + gsconnectWords + ")" : settings.describe();
    }
}
