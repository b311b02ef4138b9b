package io.github.gsbridge.plugin;

import io.github.gsbridge.credentials.GsconnectPairingStore;
import io.github.gsbridge.desktop.DesktopNotifier;
import io.github.gsbridge.desktop.NotificationKind;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.transfer.Transfers;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the daemon gives every plugin it creates.
 *
 * @param events               where plugins publish what happened ({@link PluginEvent}s for D-Bus signals)
 * @param transfers            file transfers, shown on the bus and by the desktop
 * @param desktop              the desktop's notification server
 * @param desktopNotifications which kinds of desktop notifications the user wants
 * @param environment          the daemon's environment (XDG directories)
 * @param configDir            gsbridge's own settings directory, for plugins' settings without GSConnect
 * @param gsconnect            GSConnect's settings, when the daemon runs with GSConnect's identity;
 *                             plugins read theirs through {@link #settings}
 */
public record PluginContext(EventBus events, Transfers transfers, DesktopNotifier desktop,
                            Set<NotificationKind> desktopNotifications, Map<String, String> environment,
                            Path configDir, Optional<GsconnectPairingStore> gsconnect) {
    /**
     * The per-device settings of the plugin GSConnect calls {@code gsconnectName}: GSConnect's when
     * the daemon runs with its identity, else the plugin's own file.
     */
    public PluginSettings settings(String gsconnectName) {
        return gsconnect.map(store -> PluginSettings.gsconnect(gsconnectName, store))
                .orElseGet(() -> PluginSettings.ownFile(gsconnectName, configDir));
    }
}
