package io.github.gsbridge.credentials;

import io.github.gsbridge.event.Event;

import java.util.Set;

/** Where GSConnect keeps its settings in dconf, and reading them. */
public final class GsconnectDconf {
    public static final String PATH = "/org/gnome/shell/extensions/gsconnect/";

    private GsconnectDconf() {}

    /**
     * Keys of GSConnect's tree (or directories, ending in '/', for a recursive reset) that changed
     * while the daemon followed it, published on the daemon's events: a plugin that keeps a setting
     * it read need not read it again until it changes.
     */
    public record KeysChanged(Set<String> keys) implements Event {
        public KeysChanged {
            keys = Set.copyOf(keys);
        }

        /** Whether {@code key} is one of the changed keys, or lies below a changed directory. */
        public boolean concerns(String key) {
            return keys.stream().anyMatch(changed -> changed.equals(key) || changed.endsWith("/") && key.startsWith(changed));
        }
    }

    /**
     * Dumps and parses GSConnect's whole settings tree.
     *
     * @throws DconfException when dconf cannot be run or fails
     * @throws DconfFormatException when its output cannot be parsed
     */
    public static GsconnectSettings read(Dconf dconf) throws DconfException {
        return GsconnectSettings.fromDump(DconfDump.parse(dconf.dump(PATH)));
    }
}
