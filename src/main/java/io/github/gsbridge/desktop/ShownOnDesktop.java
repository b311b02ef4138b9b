package io.github.gsbridge.desktop;

import io.github.gsbridge.event.Event;

import java.util.Optional;

/**
 * An event the user sees as a desktop notification. Plugins' events implement it, so that the
 * desktop face shows them without knowing the plugins; which kinds are shown is the user's choice.
 */
public interface ShownOnDesktop extends Event {
    String deviceId();

    NotificationKind kind();

    /** The notification's title, for the device called {@code deviceName}: "Ping from Pixel 7". */
    String title(String deviceName);

    String body();

    /** A link the notification offers to open (only links of safe schemes get the button). */
    default Optional<String> link() {
        return Optional.empty();
    }
}
