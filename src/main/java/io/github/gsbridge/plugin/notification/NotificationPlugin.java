package io.github.gsbridge.plugin.notification;

import io.github.gsbridge.desktop.DesktopNotifier;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.Event;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.wire.Packet;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Notifications both ways: ours to the device ({@code kdeconnect.notification}, withdraw with
 * {@code isCancel}), and the device's to us (kept per device, forwarded to the desktop).
 */
public final class NotificationPlugin implements Plugin {
    public static final String NOTIFICATION = "kdeconnect.notification";
    public static final String REQUEST = "kdeconnect.notification.request";
    public static final String ACTION = "kdeconnect.notification.action";
    public static final String REPLY = "kdeconnect.notification.reply";

    /** A notification to send; an empty id gets a generated one. */
    public record Outgoing(Optional<String> id, String appName, String title, String text, Optional<Path> icon,
                           boolean clearable) { }

    /** A notification the device showed, as it described it. */
    public record DeviceNotification(String id, String appName, String title, String text, String ticker,
                                     boolean clearable, long time, List<String> actions) { }

    public record NotificationPosted(String deviceId, DeviceNotification notification) implements Event { }

    public record NotificationRemoved(String deviceId, String id) implements Event { }

    private final EventBus events;
    private final DesktopNotifier desktop;
    private final boolean forwardToDesktop;

    public NotificationPlugin(EventBus events, DesktopNotifier desktop, boolean forwardToDesktop) {
        this.events = events;
        this.desktop = desktop;
        this.forwardToDesktop = forwardToDesktop;
    }

    @Override
    public String name() {
        return "notification";
    }

    @Override
    public Set<String> incomingPacketTypes() {
        return Set.of(NOTIFICATION, REQUEST);
    }

    @Override
    public Set<String> outgoingPacketTypes() {
        return Set.of(NOTIFICATION, REQUEST, ACTION, REPLY);
    }

    @Override
    public void handle(Device device, Packet packet) {
        throw new UnsupportedOperationException("notification: receiving is not implemented yet");
    }

    /** Sends a notification to the device; returns its id (the caller's, or a generated one). */
    public String send(Device device, Outgoing notification) throws DeviceException {
        throw new UnsupportedOperationException("notification: sending is not implemented yet");
    }

    public void withdraw(Device device, String id) throws DeviceException {
        throw new UnsupportedOperationException("notification: withdrawing is not implemented yet");
    }

    /** Dismisses one of the device's notifications on the device. */
    public void dismiss(Device device, String id) throws DeviceException {
        throw new UnsupportedOperationException("notification: dismissing is not implemented yet");
    }

    /** The device's current notifications. */
    public List<DeviceNotification> list(String deviceId) {
        throw new UnsupportedOperationException("notification: listing is not implemented yet");
    }
}
