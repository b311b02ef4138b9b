package io.github.gsbridge.desktop;

import java.util.List;

/**
 * A kind of desktop notification, which the user can switch off on its own ({@code gsbridge daemon
 * --no-notify LABEL}). The desktop's own kinds are here; a plugin declares its kinds in its
 * package ({@code PluginModule.notificationKinds()}), and {@link NotificationKinds} holds them all.
 *
 * @param label          the name the user types; also what a user's existing options name, so it never changes
 * @param help           what the kind shows, for {@code gsbridge daemon --help}: "pings"
 * @param shownByDefault whether it is shown unless the user says otherwise
 */
public record NotificationKind(String label, String help, boolean shownByDefault) {
    /** A device asks to pair, or we asked it: what to compare, Accept and Reject. */
    public static final NotificationKind PAIRING = new NotificationKind("pairing",
            "pair requests, with Accept and Reject", true);
    /** Files, links and text a device sent, and incoming transfers that failed. */
    public static final NotificationKind RECEIVED = new NotificationKind("received",
            "files, links and text a device sent", true);
    /** How a transfer to a device ended. */
    public static final NotificationKind SENT = new NotificationKind("sent", "how a transfer to a device ended", true);
    /**
     * The device's own notifications, mirrored. A core kind although the notification plugin
     * shows them: {@code --no-desktop-notifications}, older than the kinds, names it.
     */
    public static final NotificationKind PHONE = new NotificationKind("phone", "the devices' own notifications", true);

    /** The kinds the desktop itself knows, in the order {@code --help} lists them. */
    public static final List<NotificationKind> CORE = List.of(PAIRING, RECEIVED, SENT, PHONE);

    public NotificationKind {
        // The label is typed in a comma-separated list, where "all" names every kind.
        if (!label.matches("[a-z][a-z0-9-]*") || label.equals(NotificationKinds.ALL)) {
            throw new IllegalArgumentException("a notification kind is named in lower-case letters, digits and "
                    + "dashes, and not \"" + NotificationKinds.ALL + "\": \"" + label + "\"");
        }
    }
}
