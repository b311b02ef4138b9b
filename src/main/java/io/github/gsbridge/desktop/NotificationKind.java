package io.github.gsbridge.desktop;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The kinds of desktop notification gsbridge shows; each can be switched off on its own. */
public enum NotificationKind {
    /** A device asks to pair, or we asked it: what to compare, Accept and Reject. */
    PAIRING,
    /** Files, links and text a device sent, and incoming transfers that failed. */
    RECEIVED,
    /** How a transfer to a device ended. */
    SENT,
    /** The device's own notifications, mirrored. */
    PHONE,
    /** A device pinged us. */
    PING,
    /** A device's battery is low. */
    BATTERY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a comma-separated list such as {@code sent,ping}; {@code all} names every kind. */
    public static Set<NotificationKind> parseList(String text) {
        Set<NotificationKind> kinds = EnumSet.noneOf(NotificationKind.class);
        for (String item : text.split(",")) {
            String name = item.strip().toLowerCase(Locale.ROOT);
            if (name.equals("all")) {
                kinds.addAll(EnumSet.allOf(NotificationKind.class));
                continue;
            }
            NotificationKind kind = Arrays.stream(values()).filter(k -> k.label().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("\"" + item.strip() + "\" is no kind of notification; "
                            + "the kinds are " + Arrays.stream(values()).map(NotificationKind::label)
                            .collect(Collectors.joining(", ")) + " (or all)"));
            kinds.add(kind);
        }
        return kinds;
    }
}
