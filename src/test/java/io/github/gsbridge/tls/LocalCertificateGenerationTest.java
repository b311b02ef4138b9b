package io.github.gsbridge.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalCertificateGenerationTest {
    @TempDir
    Path dir;

    @Test
    void generatedIdentityHasTheAgreedShape() throws Exception {
        String deviceId = LocalCertificate.newDeviceId();
        Instant before = Instant.now();

        LocalCertificate local = LocalCertificate.generate(deviceId);

        assertTrue(deviceId.matches("[0-9a-f]{32}"), deviceId);
        assertEquals(deviceId, local.deviceId());
        assertEquals("CN=" + deviceId + ",OU=gsbridge,O=gsbridge", local.certificate().getSubjectX500Principal().getName());
        assertEquals(local.certificate().getSubjectX500Principal(), local.certificate().getIssuerX500Principal());
        local.certificate().verify(local.certificate().getPublicKey());
        assertEquals("SHA256withECDSA", local.certificate().getSigAlgName());

        AlgorithmParameters curve = AlgorithmParameters.getInstance("EC");
        curve.init(((ECPublicKey) local.certificate().getPublicKey()).getParams());
        // JDKs name the curve either way.
        assertTrue(Set.of("secp256r1", "1.2.840.10045.3.1.7")
                .contains(curve.getParameterSpec(ECGenParameterSpec.class).getName()));
        assertEquals("EC", local.privateKey().getAlgorithm());

        Instant notBefore = local.certificate().getNotBefore().toInstant();
        Instant notAfter = local.certificate().getNotAfter().toInstant();
        Instant yearAgo = before.atZone(ZoneOffset.UTC).minusYears(1).toInstant();
        Instant inTenYears = before.atZone(ZoneOffset.UTC).plusYears(10).toInstant();
        assertTrue(Duration.between(yearAgo, notBefore).abs().getSeconds() < 60, notBefore.toString());
        assertTrue(Duration.between(inTenYears, notAfter).abs().getSeconds() < 60, notAfter.toString());
        assertTrue(Certificates.isValidNow(local.certificate()));
    }

    @Test
    void serialsArePositiveRandomAndFitTwentyOctets() {
        List<LocalCertificate> generated = Stream.generate(() -> LocalCertificate.generate("a")).limit(20).toList();

        assertEquals(20, generated.stream().map(c -> c.certificate().getSerialNumber()).distinct().count());
        for (LocalCertificate local : generated) {
            assertEquals(1, local.certificate().getSerialNumber().signum());
            assertTrue(local.certificate().getSerialNumber().toByteArray().length <= 20);
        }
        assertTrue(generated.stream().anyMatch(c -> c.certificate().getSerialNumber().bitLength() > 150),
                "serials should use (nearly) the whole 160-bit space");
    }

    @Test
    void blankDeviceIdIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> LocalCertificate.generate(" "));
    }

    @Test
    void saveUsesPrivateModeAndLoadsBack() throws Exception {
        LocalCertificate local = LocalCertificate.generate(LocalCertificate.newDeviceId());
        Path certificate = dir.resolve("certificate.pem");
        Path key = dir.resolve("private.pem");

        local.save(certificate, key);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(certificate)));
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(2, entries.count(), "no temporary files may be left behind");
        }
        assertEquals(local, LocalCertificate.load(certificate, key));
    }

    @Test
    void saveNeverOverwrites() throws Exception {
        LocalCertificate first = LocalCertificate.generate(LocalCertificate.newDeviceId());
        LocalCertificate second = LocalCertificate.generate(LocalCertificate.newDeviceId());
        Path certificate = dir.resolve("certificate.pem");
        Path key = dir.resolve("private.pem");
        first.save(certificate, key);
        String keyBefore = Files.readString(key);
        String certificateBefore = Files.readString(certificate);

        assertThrows(FileAlreadyExistsException.class, () -> second.save(certificate, key));
        assertThrows(FileAlreadyExistsException.class, () -> Pem.writePrivateKey(key, second.privateKey()));
        assertThrows(FileAlreadyExistsException.class,
                () -> Pem.writeCertificate(certificate, second.certificate()));

        assertEquals(keyBefore, Files.readString(key));
        assertEquals(certificateBefore, Files.readString(certificate));
    }

    @Test
    void saveWritesNothingWhenOnlyTheCertificateExists() throws Exception {
        Path certificate = Files.writeString(dir.resolve("certificate.pem"), "someone else's\n");
        Path key = dir.resolve("private.pem");

        assertThrows(FileAlreadyExistsException.class,
                () -> LocalCertificate.generate("a").save(certificate, key));

        assertFalse(Files.exists(key));
    }

    @Test
    void openSslAcceptsSavedFiles() throws Exception {
        OpenSsl.executable();
        LocalCertificate local = LocalCertificate.generate(LocalCertificate.newDeviceId());
        Path certificate = dir.resolve("certificate.pem");
        Path key = dir.resolve("private.pem");
        local.save(certificate, key);

        String subject = OpenSsl.run(dir, "x509", "-in", certificate.toString(), "-noout", "-subject", "-nameopt", "RFC2253");
        String fingerprint = OpenSsl.run(dir, "x509", "-in", certificate.toString(), "-noout", "-fingerprint", "-sha256");

        assertEquals("subject=CN=" + local.deviceId() + ",OU=gsbridge,O=gsbridge\n", subject);
        assertEquals("sha256 Fingerprint=" + Certificates.sha256Fingerprint(local.certificate()) + "\n", fingerprint);
        assertEquals(OpenSsl.run(dir, "x509", "-in", certificate.toString(), "-noout", "-pubkey"),
                OpenSsl.run(dir, "pkey", "-in", key.toString(), "-pubout"));
    }

    @Test
    void toStringKeepsTheKeySecret() {
        LocalCertificate local = LocalCertificate.generate("abc");
        String text = local.toString();

        BigInteger secret = ((ECPrivateKey) local.privateKey()).getS();

        assertTrue(text.contains("deviceId=abc"), text);
        assertTrue(text.contains("sha256=" + Certificates.sha256Fingerprint(local.certificate())), text);
        assertFalse(text.contains(secret.toString()) || text.contains(secret.toString(16)), text);
    }
}
