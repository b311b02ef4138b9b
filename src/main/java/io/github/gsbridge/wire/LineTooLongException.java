package io.github.gsbridge.wire;

import java.io.IOException;

/** A peer sent more bytes than allowed without a newline; the connection must be dropped. */
public class LineTooLongException extends IOException {
    public LineTooLongException(int limit) {
        super("line longer than " + limit + " bytes without a newline");
    }
}
