package io.github.gsbridge.daemon;

import io.github.gsbridge.event.Event;

/**
 * Whether the daemon holds the KDE Connect ports: {@code active} (bound and announcing),
 * {@code waiting} (another program has them; the reason says which), {@code stopped}.
 */
public record DaemonState(Kind kind, String reason) {
    public enum Kind { ACTIVE, WAITING, STOPPED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The daemon's state changed. */
    public record StateChanged(DaemonState state) implements Event { }
}
