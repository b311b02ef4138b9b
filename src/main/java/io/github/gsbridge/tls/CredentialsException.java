package io.github.gsbridge.tls;

import java.nio.file.Path;

/**
 * A certificate or private key could not be used as our identity. The message always starts with
 * the file (or other source) so that a user can find what to fix without a stack trace.
 */
public final class CredentialsException extends Exception {
    private final String source;

    public CredentialsException(String source, String reason) {
        super(source + ": " + reason);
        this.source = source;
    }

    public CredentialsException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
        this.source = source;
    }

    public CredentialsException(Path file, String reason) {
        this(file.toString(), reason);
    }

    public CredentialsException(Path file, String reason, Throwable cause) {
        this(file.toString(), reason, cause);
    }

    /** The file path or label the problem was found in. */
    public String source() {
        return source;
    }
}
