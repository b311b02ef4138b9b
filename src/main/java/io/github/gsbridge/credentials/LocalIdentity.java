package io.github.gsbridge.credentials;

import io.github.gsbridge.tls.LocalCertificate;

import java.util.Optional;

/**
 * Who we are on the network: our certificate (whose CN is our device id), where that came from,
 * where pairings are kept, and the device name GSConnect announces, if any.
 */
public record LocalIdentity(LocalCertificate certificate, IdentitySource source, PairingStore pairings,
                            Optional<String> configuredName) {
    public String deviceId() {
        return certificate.deviceId();
    }
}
