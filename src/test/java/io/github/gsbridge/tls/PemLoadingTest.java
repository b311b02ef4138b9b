package io.github.gsbridge.tls;

import io.github.gsbridge.tls.OpenSsl.KeyFormat;
import io.github.gsbridge.tls.OpenSsl.PemFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PemLoadingTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needOpenSsl() {
        OpenSsl.executable();
    }

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void loadsOpenSslIdentityInEveryKeyForm(KeyFormat format) throws Exception {
        PemFiles files = OpenSsl.gsconnectIdentity(dir, "gsconnect", format);

        LocalCertificate local = LocalCertificate.load(files.certificate(), files.privateKey());

        assertEquals(files.commonName(), local.deviceId());
        assertEquals(format.algorithm(), local.privateKey().getAlgorithm());
        assertEquals("PKCS#8", local.privateKey().getFormat());
        Path reencoded = Files.writeString(dir.resolve("reencoded.pem"), Pem.encode(local.privateKey()));
        assertTrue(OpenSsl.read(reencoded).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertEquals(OpenSsl.run(dir, "pkey", "-in", files.privateKey().toString(), "-pubout"),
                OpenSsl.run(dir, "pkey", "-in", reencoded.toString(), "-pubout"),
                "openssl must read our PKCS#8 encoding as the same key");
    }

    @Test
    void certificateEncodingIsByteForByteOpenSsls() throws Exception {
        PemFiles files = OpenSsl.gsconnectIdentity(dir, "gsconnect", KeyFormat.EC_PKCS8);
        X509Certificate certificate = Pem.readCertificate(files.certificate());

        String encoded = Pem.encode(certificate);

        assertEquals(OpenSsl.read(files.certificate()), encoded);
        assertTrue(encoded.endsWith("-----END CERTIFICATE-----\n"));
        assertTrue(encoded.lines().allMatch(line -> line.length() <= 64));
        assertArrayEquals(certificate.getEncoded(), Pem.parseCertificate(encoded).getEncoded());
    }

    @Test
    void missingCertificateFileIsNamed() {
        Path missing = dir.resolve("certificate.pem");
        CredentialsException e = assertThrows(CredentialsException.class,
                () -> LocalCertificate.load(missing, dir.resolve("private.pem")));
        assertEquals(missing.toString(), e.source());
        assertTrue(e.getMessage().startsWith(missing + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void missingKeyFileIsNamed() throws Exception {
        PemFiles files = OpenSsl.gsconnectIdentity(dir, "gsconnect", KeyFormat.EC_PKCS8);
        Path missing = dir.resolve("absent-private.pem");
        CredentialsException e = assertThrows(CredentialsException.class,
                () -> LocalCertificate.load(files.certificate(), missing));
        assertEquals(missing + ": file does not exist", e.getMessage());
    }

    @Test
    void unreadableFileIsNamed() throws Exception {
        // A directory cannot be read as a file even by root, who ignores mode bits.
        Path directory = Files.createDirectory(dir.resolve("private.pem"));
        CredentialsException e = assertThrows(CredentialsException.class, () -> Pem.readPrivateKey(directory));
        assertTrue(e.getMessage().startsWith(directory + ": cannot be read"), e.getMessage());
    }

    @Test
    void garbageIsNotPem() throws Exception {
        byte[] noise = new byte[512];
        new SecureRandom().nextBytes(noise);
        Path certificate = Files.write(dir.resolve("certificate.pem"), noise);
        Path key = Files.writeString(dir.resolve("private.pem"), "this is not a key\n");

        CredentialsException certError = assertThrows(CredentialsException.class,
                () -> Pem.readCertificate(certificate));
        CredentialsException keyError = assertThrows(CredentialsException.class, () -> Pem.readPrivateKey(key));

        assertEquals(certificate + ": contains no PEM data", certError.getMessage());
        assertEquals(key + ": contains no PEM private key", keyError.getMessage());
    }

    @Test
    void truncatedPemIsMalformed() throws Exception {
        PemFiles files = OpenSsl.gsconnectIdentity(dir, "gsconnect", KeyFormat.EC_PKCS8);
        String text = OpenSsl.read(files.certificate());
        Path truncated = Files.writeString(dir.resolve("truncated.pem"), text.substring(0, text.length() / 2));

        CredentialsException e = assertThrows(CredentialsException.class, () -> Pem.readCertificate(truncated));
        assertTrue(e.getMessage().startsWith(truncated + ": malformed PEM"), e.getMessage());
    }

    @Test
    void encryptedKeysAreRefusedWithReason() throws Exception {
        Path pkcs8 = dir.resolve("pkcs8-encrypted.pem");
        OpenSsl.run(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-aes256", "-pass", "pass:secret", "-out", pkcs8.toString());
        Path plain = dir.resolve("plain.pem");
        OpenSsl.writeKey(dir, plain, KeyFormat.RSA_PKCS1);
        Path legacy = dir.resolve("legacy-encrypted.pem");
        OpenSsl.run(dir, "rsa", "-in", plain.toString(), "-traditional", "-aes256", "-passout", "pass:secret",
                "-out", legacy.toString());
        assertTrue(OpenSsl.read(pkcs8).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assertTrue(OpenSsl.read(legacy).contains("Proc-Type: 4,ENCRYPTED"));

        for (Path key : new Path[] {pkcs8, legacy}) {
            CredentialsException e = assertThrows(CredentialsException.class, () -> Pem.readPrivateKey(key));
            assertEquals(key + ": encrypted private keys are not supported; store it unencrypted", e.getMessage());
        }
    }

    @Test
    void keyOfAnotherCertificateIsRefused() throws Exception {
        PemFiles rsa = OpenSsl.gsconnectIdentity(dir, "one", KeyFormat.RSA_PKCS8);
        PemFiles otherRsa = OpenSsl.gsconnectIdentity(dir, "two", KeyFormat.RSA_PKCS1);
        PemFiles ec = OpenSsl.gsconnectIdentity(dir, "three", KeyFormat.EC_SEC1);

        CredentialsException sameType = assertThrows(CredentialsException.class,
                () -> LocalCertificate.load(rsa.certificate(), otherRsa.privateKey()));
        CredentialsException otherType = assertThrows(CredentialsException.class,
                () -> LocalCertificate.load(rsa.certificate(), ec.privateKey()));

        assertEquals(otherRsa.privateKey() + ": RSA private key does not match the public key of certificate "
                + rsa.certificate(), sameType.getMessage());
        assertTrue(otherType.getMessage().startsWith(ec.privateKey() + ": EC private key does not match"),
                otherType.getMessage());
    }

    @Test
    void ed25519IsAnUnsupportedKeyType() throws Exception {
        Path key = dir.resolve("ed25519.pem");
        OpenSsl.run(dir, "genpkey", "-algorithm", "ed25519", "-out", key.toString());

        CredentialsException e = assertThrows(CredentialsException.class, () -> Pem.readPrivateKey(key));
        assertEquals(key + ": unsupported key type Ed25519 (only RSA and EC are usable)", e.getMessage());
    }

    @Test
    void certificateWithoutCommonNameIsRefused() throws Exception {
        Path key = dir.resolve("private.pem");
        Path certificate = dir.resolve("certificate.pem");
        OpenSsl.writeKey(dir, key, KeyFormat.EC_PKCS8);
        OpenSsl.selfSign(dir, key, certificate, "/O=andyholmes.github.io/OU=GSConnect");

        CredentialsException e = assertThrows(CredentialsException.class,
                () -> LocalCertificate.load(certificate, key));
        assertTrue(e.getMessage().startsWith(certificate + ": certificate subject has no common name"),
                e.getMessage());
    }

    @Test
    void filesSwappedAreReportedAsWrongContent() throws Exception {
        PemFiles files = OpenSsl.gsconnectIdentity(dir, "gsconnect", KeyFormat.EC_PKCS8);

        CredentialsException keyAsCertificate = assertThrows(CredentialsException.class,
                () -> LocalCertificate.load(files.privateKey(), files.certificate()));
        CredentialsException certificateAsKey = assertThrows(CredentialsException.class,
                () -> Pem.readPrivateKey(files.certificate()));

        assertEquals(files.privateKey() + ": expected a CERTIFICATE block, found a private key",
                keyAsCertificate.getMessage());
        assertEquals(files.certificate() + ": expected a private key, found a certificate",
                certificateAsKey.getMessage());
    }

    @Test
    void parsedTextIsLabelledWithItsSource() {
        CredentialsException e = assertThrows(CredentialsException.class,
                () -> Pem.parseCertificate("not pem", "dconf device abc certificate-pem"));
        assertEquals("dconf device abc certificate-pem: contains no PEM data", e.getMessage());
    }
}
