package io.github.gsbridge.credentials;

import java.util.Objects;
import java.util.Optional;

/**
 * A device GSConnect has paired with: its id, display name, device type, the peer's certificate
 * (PEM, trusted for TLS) and where it was last reached ({@code lan://<ip>:<port>}), if known.
 */
public record PairedDevice(String id, String name, String type, String certificatePem,
                           Optional<String> lastConnection) {
    public PairedDevice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(lastConnection, "lastConnection");
    }
}
