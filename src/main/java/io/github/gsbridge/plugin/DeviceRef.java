package io.github.gsbridge.plugin;

import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.transfer.Transfer;

/**
 * A device as a plugin's D-Bus methods reach it. Calls go through {@link #call}, so that every
 * failure reaches the caller in the same words: "Cannot ping Pixel 7: it is not reachable".
 */
public interface DeviceRef {
    String id();

    /** The device's object path, which a plugin's interface implementations report as theirs. */
    String path();

    /**
     * Runs {@code action} on the device and returns its result; a failure becomes a D-Bus error
     * "Cannot {@code doing} (device name): (reason)". {@code doing} is the user's words for the
     * operation, e.g. "ping" or "send the files to".
     */
    <T> T call(String doing, Call<T> action);

    /** As {@link #call}, without a result. */
    default void run(String doing, Action action) {
        call(doing, device -> {
            action.run(device);
            return null;
        });
    }

    /**
     * Puts {@code transfer} on the bus now, before the method that started it returns its path
     * (the usual announcement comes a moment later, from the transfer's events).
     */
    String exportTransfer(Transfer transfer);

    @FunctionalInterface
    interface Call<T> {
        T run(Device device) throws DeviceException;
    }

    @FunctionalInterface
    interface Action {
        void run(Device device) throws DeviceException;
    }
}
