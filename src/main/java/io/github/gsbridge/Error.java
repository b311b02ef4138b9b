package io.github.gsbridge;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * The D-Bus errors of gsbridge's API. dbus-java names an error after the exception's binary
 * class name ({@code $} read as {@code .}), so {@code io.github.gsbridge.Error$NotPaired} is
 * sent as {@code io.github.gsbridge.Error.NotPaired}; that is why these live here and not in
 * the {@code dbus} package. A client using dbus-java gets the same classes back.
 */
public final class Error {
    private Error() {}

    /** No device with that id or name. */
    public static final class UnknownDevice extends DBusExecutionException {
        public UnknownDevice(String message) {
            super(message);
        }
    }

    /**
     * Several devices match the name; the message lists them. Apart from {@link UnknownDevice}
     * because asking the network again cannot make fewer devices match.
     */
    public static final class AmbiguousDevice extends DBusExecutionException {
        public AmbiguousDevice(String message) {
            super(message);
        }
    }

    public static final class NotPaired extends DBusExecutionException {
        public NotPaired(String message) {
            super(message);
        }
    }

    public static final class NotReachable extends DBusExecutionException {
        public NotReachable(String message) {
            super(message);
        }
    }

    public static final class InvalidArgument extends DBusExecutionException {
        public InvalidArgument(String message) {
            super(message);
        }
    }

    /** The operation was tried and did not work; the message says why. */
    public static final class Failed extends DBusExecutionException {
        public Failed(String message) {
            super(message);
        }
    }
}
