package io.github.gsbridge.wire;

/** A line that is not a usable KDE Connect packet; the message says what is wrong with it. */
public class MalformedPacketException extends Exception {
    public MalformedPacketException(String message) {
        super(message);
    }

    public MalformedPacketException(String message, Throwable cause) {
        super(message, cause);
    }
}
