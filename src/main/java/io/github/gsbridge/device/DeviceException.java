package io.github.gsbridge.device;

/** An operation on a device that cannot be done; the message names the device and the reason. */
public class DeviceException extends Exception {
    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The device is known but has no link right now. */
    public static final class NotReachable extends DeviceException {
        public NotReachable(String deviceId) {
            super("device " + deviceId + " is not connected");
        }
    }

    /** The operation needs a paired device. */
    public static final class NotPaired extends DeviceException {
        public NotPaired(String deviceId) {
            super("device " + deviceId + " is not paired");
        }
    }
}
