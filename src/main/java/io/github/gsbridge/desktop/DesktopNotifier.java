package io.github.gsbridge.desktop;

import java.util.List;
import java.util.Optional;

/** Desktop notifications (org.freedesktop.Notifications), or nothing where no server runs. */
public interface DesktopNotifier {
    /** A button: {@code key} comes back to the listener, {@code label} is what the user reads. */
    record Action(String key, String label) { }

    /** What the server tells about a notification it shows; called off the caller's thread. */
    interface Listener {
        Listener NONE = new Listener() { };

        /** The user pressed the button {@code key} (the notification is closed by then or soon). */
        default void action(String key) {
        }

        /** The notification went away: 1 expired, 2 dismissed by the user, 3 closed by us, 4 other. */
        default void closed(int reason) {
        }
    }

    /** NotificationClosed's reason when the user dismissed it. */
    int DISMISSED = 2;

    /**
     * A notification to show. {@code replacesId} replaces an earlier one when not 0; a
     * {@code resident} one stays until answered (pair requests) instead of expiring.
     */
    record Notice(String appName, String summary, String body, Optional<byte[]> pngIcon, List<Action> actions,
                  boolean resident, int replacesId, Listener listener) {
        public static Notice of(String appName, String summary, String body) {
            return new Notice(appName, summary, body, Optional.empty(), List.of(), false, 0, Listener.NONE);
        }

        public Notice withActions(List<Action> buttons, Listener to) {
            return new Notice(appName, summary, body, pngIcon, List.copyOf(buttons), resident, replacesId, to);
        }

        public Notice withIcon(Optional<byte[]> png) {
            return new Notice(appName, summary, body, png, actions, resident, replacesId, listener);
        }

        public Notice replacing(int id) {
            return new Notice(appName, summary, body, pngIcon, actions, resident, id, listener);
        }

        public Notice staying() {
            return new Notice(appName, summary, body, pngIcon, actions, true, replacesId, listener);
        }
    }

    /** Shows a notification; returns the server's id, or 0 when nothing could be shown (no bus, no server). */
    int show(Notice notice);

    /** Shows a plain notification, replacing {@code replacesId} when it is not 0. */
    default int show(String appName, String summary, String body, int replacesId) {
        return show(Notice.of(appName, summary, body).replacing(replacesId));
    }

    /** Removes a notification shown earlier; ignores unknown ids. */
    void close(int id);

    static DesktopNotifier none() {
        return new DesktopNotifier() {
            @Override
            public int show(Notice notice) {
                return 0;
            }

            @Override
            public void close(int id) {
            }
        };
    }
}
