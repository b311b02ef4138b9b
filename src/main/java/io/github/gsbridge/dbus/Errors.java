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

    /** {@code operation} is what was asked (e.g. "Ping"), {@code subject} who it was asked of (e.g. "Pixel 7 (id)"). */
    static DBusExecutionException map(String operation, String subject, Throwable error) {
        if (error instanceof DBusExecutionException already) {
            return already;
        }
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        String message = operation + " on " + subject + " failed: " + reason;
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
            LOG.warn("D-Bus {}", message, error);
        } else {
            LOG.info("D-Bus {}", message);
        }
        return mapped;
    }
}
