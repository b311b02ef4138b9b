package io.github.gsbridge.credentials;

/**
 * A {@code dconf} command that could not run or reported failure. Checked, because dconf is an
 * external program whose absence or failure callers must decide how to survive.
 */
public final class DconfException extends Exception {
    DconfException(String message) {
        super(message);
    }

    DconfException(String message, Throwable cause) {
        super(message, cause);
    }
}
