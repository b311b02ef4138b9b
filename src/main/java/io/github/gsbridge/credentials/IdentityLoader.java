package io.github.gsbridge.credentials;

import io.github.gsbridge.tls.CredentialsException;
import io.github.gsbridge.tls.LocalCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Chooses our identity: GSConnect's when it exists (so paired phones keep trusting us), otherwise
 * gsbridge's own, generated once. Broken files are reported by name and never overwritten.
 */
public final class IdentityLoader {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityLoader.class);
    public static final String CERTIFICATE_FILE = "certificate.pem";
    public static final String PRIVATE_KEY_FILE = "private.pem";
    public static final String PAIRINGS_FILE = "devices.json";

    /** What the user asked for with {@code --identity}. */
    public enum Choice { AUTO, GSCONNECT, OWN }

    private final Path gsconnectDir;
    private final Path ownDir;
    private final Dconf dconf;

    public IdentityLoader(Path gsconnectDir, Path ownDir, Dconf dconf) {
        this.gsconnectDir = gsconnectDir;
        this.ownDir = ownDir;
        this.dconf = dconf;
    }

    public LocalIdentity load(Choice choice) throws CredentialsException {
        return switch (choice) {
            case GSCONNECT -> gsconnect();
            case OWN -> own();
            case AUTO -> {
                if (!Files.exists(gsconnectDir.resolve(CERTIFICATE_FILE))) {
                    LOG.info("no GSConnect certificate in {}; using gsbridge's own identity", gsconnectDir);
                    yield own();
                }
                try {
                    yield gsconnect();
                } catch (CredentialsException e) {
                    LOG.error("cannot use GSConnect's identity: {}; falling back to gsbridge's own identity "
                            + "(GSConnect's files are left untouched)", e.getMessage());
                    yield own();
                }
            }
        };
    }

    private LocalIdentity gsconnect() throws CredentialsException {
        LocalCertificate certificate = LocalCertificate.load(gsconnectDir.resolve(CERTIFICATE_FILE),
                gsconnectDir.resolve(PRIVATE_KEY_FILE));
        GsconnectPairingStore store = new GsconnectPairingStore(dconf);
        Optional<String> name = Optional.empty();
        try {
            name = store.settings().name();
        } catch (IOException e) {
            LOG.warn("cannot read GSConnect's settings from dconf: {}; no device is trusted until it can be read",
                    e.getMessage());
        }
        LOG.info("using GSConnect's identity {} from {}", certificate.deviceId(), gsconnectDir);
        return new LocalIdentity(certificate, IdentitySource.GSCONNECT, store, name);
    }

    private LocalIdentity own() throws CredentialsException {
        Path certificateFile = ownDir.resolve(CERTIFICATE_FILE);
        Path keyFile = ownDir.resolve(PRIVATE_KEY_FILE);
        LocalCertificate certificate;
        if (!Files.exists(certificateFile) && !Files.exists(keyFile)) {
            certificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
            try {
                Files.createDirectories(ownDir);
                certificate.save(certificateFile, keyFile);
            } catch (IOException e) {
                throw new CredentialsException(ownDir, "cannot store the new identity: " + e.getMessage(), e);
            }
            LOG.info("generated a new identity {} in {}", certificate.deviceId(), ownDir);
        } else {
            certificate = LocalCertificate.load(certificateFile, keyFile);
            LOG.info("using gsbridge's identity {} from {}", certificate.deviceId(), ownDir);
        }
        return new LocalIdentity(certificate, IdentitySource.OWN, new FilePairingStore(ownDir.resolve(PAIRINGS_FILE)),
                Optional.empty());
    }
}
