package io.github.gsbridge.credentials;

import io.github.gsbridge.tls.CredentialsException;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentityLoaderTest {
    @TempDir
    Path dir;

    /** A dconf that cannot run: these tests are about files; dconf has its own real tests. */
    private final Dconf noDconf = new Dconf("/nonexistent/dconf", Map.of());

    private IdentityLoader loader() {
        return new IdentityLoader(dir.resolve("gsconnect"), dir.resolve("gsbridge"), noDconf);
    }

    @Test
    void withoutGsconnectAnOwnIdentityIsMadeOnceAndKept() throws Exception {
        LocalIdentity first = loader().load(IdentityLoader.Choice.AUTO);
        assertEquals(IdentitySource.OWN, first.source());
        assertTrue(first.deviceId().matches("[0-9a-f]{32}"), first.deviceId());
        assertInstanceOf(ECKey.class, first.certificate().privateKey());
        Path key = dir.resolve("gsbridge/private.pem");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
        Instant notBefore = first.certificate().certificate().getNotBefore().toInstant();
        assertTrue(notBefore.isBefore(Instant.now().minus(Duration.ofDays(360))), "valid from a year ago");
        assertInstanceOf(FilePairingStore.class, first.pairings());

        LocalIdentity second = loader().load(IdentityLoader.Choice.AUTO);
        assertEquals(first.deviceId(), second.deviceId(), "the same identity on the next start");
    }

    @Test
    void gsconnectFilesAreUsedWhenPresent() throws Exception {
        Path gsconnect = dir.resolve("gsconnect");
        Files.createDirectories(gsconnect);
        LocalCertificate.generate("a909ed85-cf7e-4844-8dec-c6e5eadd077e")
                .save(gsconnect.resolve("certificate.pem"), gsconnect.resolve("private.pem"));
        LocalIdentity identity = loader().load(IdentityLoader.Choice.AUTO);
        assertEquals(IdentitySource.GSCONNECT, identity.source());
        assertEquals("a909ed85-cf7e-4844-8dec-c6e5eadd077e", identity.deviceId(), "the CN, hyphens and all");
        assertInstanceOf(GsconnectPairingStore.class, identity.pairings());
        assertTrue(Files.notExists(dir.resolve("gsbridge/private.pem")), "no own identity was made");
    }

    @Test
    void brokenGsconnectFilesAreNamedAndLeftAlone() throws Exception {
        Path gsconnect = dir.resolve("gsconnect");
        Files.createDirectories(gsconnect);
        Files.writeString(gsconnect.resolve("certificate.pem"), "not a certificate\n");
        Files.writeString(gsconnect.resolve("private.pem"), "not a key\n");

        CredentialsException error = assertThrows(CredentialsException.class,
                () -> loader().load(IdentityLoader.Choice.GSCONNECT));
        assertTrue(error.getMessage().contains(gsconnect.resolve("certificate.pem").toString()), error.getMessage());

        // auto still starts, on gsbridge's own identity, and GSConnect's files are untouched.
        assertEquals(IdentitySource.OWN, loader().load(IdentityLoader.Choice.AUTO).source());
        assertEquals("not a certificate\n", Files.readString(gsconnect.resolve("certificate.pem")));
        assertEquals("not a key\n", Files.readString(gsconnect.resolve("private.pem")));
    }

    @Test
    void aBrokenOwnKeyIsReportedNotReplaced() throws Exception {
        LocalIdentity first = loader().load(IdentityLoader.Choice.OWN);
        Path key = dir.resolve("gsbridge/private.pem");
        Files.writeString(key, "corrupted");
        CredentialsException error = assertThrows(CredentialsException.class,
                () -> loader().load(IdentityLoader.Choice.OWN));
        assertTrue(error.getMessage().contains(key.toString()), error.getMessage());
        assertEquals("corrupted", Files.readString(key));
        assertEquals(first.deviceId(), Pem.readCertificate(dir.resolve("gsbridge/certificate.pem"))
                .getSubjectX500Principal().getName().replaceAll(".*CN=([0-9a-f]+).*", "$1"));
    }

    @Test
    void gsconnectModeStartsEvenWithoutDconf() throws Exception {
        Path gsconnect = dir.resolve("gsconnect");
        Files.createDirectories(gsconnect);
        LocalCertificate.generate(LocalCertificate.newDeviceId())
                .save(gsconnect.resolve("certificate.pem"), gsconnect.resolve("private.pem"));
        LocalIdentity identity = loader().load(IdentityLoader.Choice.GSCONNECT);
        assertEquals(IdentitySource.GSCONNECT, identity.source());
        assertTrue(identity.configuredName().isEmpty());
        java.io.IOException error = assertThrows(java.io.IOException.class, () -> identity.pairings().load());
        assertTrue(error.getMessage().contains("dconf"), error.getMessage());
    }
}
