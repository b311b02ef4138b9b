package io.github.gsbridge.wire;

/** An identity packet that must not be acted upon; the message names the offending field. */
public class InvalidIdentityException extends Exception {
    public InvalidIdentityException(String message) {
        super(message);
    }
}
