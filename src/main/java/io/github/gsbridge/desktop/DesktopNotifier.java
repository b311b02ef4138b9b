package io.github.gsbridge.desktop;

/** Desktop notifications (org.freedesktop.Notifications), or nothing where no server runs. */
public interface DesktopNotifier {
    /**
     * Shows a notification, replacing {@code replacesId} when it is not 0; returns the server's id,
     * or 0 when nothing could be shown (no session bus, no notification server).
     */
    int show(String appName, String summary, String body, int replacesId);

    /** As {@link #show(String, String, String, int)} with a PNG icon, which a notifier may leave out. */
    default int show(String appName, String summary, String body, byte[] pngIcon, int replacesId) {
        return show(appName, summary, body, replacesId);
    }

    /** Removes a notification shown earlier; ignores unknown ids. */
    void close(int id);

    static DesktopNotifier none() {
        return new DesktopNotifier() {
            @Override
            public int show(String appName, String summary, String body, int replacesId) {
                return 0;
            }

            @Override
            public void close(int id) {
            }
        };
    }
}
