package io.github.gsbridge.credentials;

/** {@code dconf dump} output that is not the INI + GVariant text dconf prints. */
public final class DconfFormatException extends IllegalArgumentException {
    DconfFormatException(String message) {
        super(message);
    }

    DconfFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
