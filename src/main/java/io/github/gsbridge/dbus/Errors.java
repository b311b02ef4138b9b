package io.github.gsbridge.dbus;

import io.github.gsbridge.Error;
import io.github.gsbridge.device.DeviceException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns what the daemon throws into gsbridge's D-Bus errors, with the operation and the subject named. */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {}

    /**
     * {@code doing} is what the method asked does, in the user's words ("ping", "send the files to");
     * the message names it, the device once by name, and the reason with the device's id (which the
     * user never typed) as "it".
     */
    static DBusExecutionException map(String doing, String deviceName, String deviceId, Throwable error) {
        if (error instanceof DBusExecutionException already) {
            return already;
        }
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (reason.startsWith(deviceId + ": ")) {
            reason = reason.substring(deviceId.length() + 2);
        }
        reason = reason.replace("device " + deviceId, "it").replace(deviceId, "it");
        String message = "Cannot " + doing + " " + deviceName + ": " + reason;
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
            LOG.warn("D-Bus: {} ({}): {}", doing, deviceId, message, error);
        } else {
            LOG.info("D-Bus: {} ({}): {}", doing, deviceId, message);
        }
        return mapped;
    }
}
