package io.github.gsbridge.dbus;

import io.github.gsbridge.Error;
import io.github.gsbridge.device.DeviceException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** Turns what the daemon throws into gsbridge's D-Bus errors, with the operation and the subject named. */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {}

    /** What each D-Bus method does, in the words of the message a user reads ("Cannot ping Pixel 7: ..."). */
    private static final Map<String, String> DOING = Map.ofEntries(
            Map.entry("RequestPair", "pair with"), Map.entry("AcceptPair", "accept the pair request of"),
            Map.entry("RejectPair", "reject the pair request of"), Map.entry("Unpair", "unpair"),
            Map.entry("Ping", "ping"), Map.entry("Ring", "ring"), Map.entry("ShareFiles", "send files to"),
            Map.entry("ShareUrl", "send the link to"), Map.entry("ShareText", "send the text to"),
            Map.entry("SendNotification", "show a notification on"),
            Map.entry("sendNotification", "show a notification on"),
            Map.entry("WithdrawNotification", "withdraw the notification from"),
            Map.entry("DismissNotification", "dismiss the notification of"),
            Map.entry("ReplyNotification", "reply to the notification of"),
            Map.entry("ActivateNotificationAction", "press the button on"),
            Map.entry("ListNotifications", "list the notifications of"));

    /**
     * {@code operation} is the D-Bus method asked; the message names what it does, the device once
     * by name, and the reason with the device's id (which the user never typed) as "it".
     */
    static DBusExecutionException map(String operation, String deviceName, String deviceId, Throwable error) {
        if (error instanceof DBusExecutionException already) {
            return already;
        }
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (reason.startsWith(deviceId + ": ")) {
            reason = reason.substring(deviceId.length() + 2);
        }
        reason = reason.replace("device " + deviceId, "it").replace(deviceId, "it");
        String message = "Cannot " + DOING.getOrDefault(operation, operation) + " " + deviceName + ": " + reason;
        DBusExecutionException mapped;
        if (error instanceof DeviceException.NotReachable) {
            mapped = new Error.NotReachable(message);
        } else if (error instanceof DeviceException.NotPaired) {
            mapped = new Error.NotPaired(message);
        } else if (error instanceof IllegalArgumentException) {
            mapped = new Error.InvalidArgument(message);
        } else {
            mapped = new Error.Failed(message);
        }
        if (error instanceof RuntimeException && !(error instanceof IllegalArgumentException)) {
            LOG.warn("D-Bus {} ({}): {}", operation, deviceId, message, error);
        } else {
            LOG.info("D-Bus {} ({}): {}", operation, deviceId, message);
        }
        return mapped;
    }
}
