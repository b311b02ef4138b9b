package io.github.gsbridge.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

/**
 * Our TLS identity: a self-signed certificate whose common name is our device id, and its key.
 * Either GSConnect's (loaded) or our own (generated when GSConnect is absent).
 */
public record LocalCertificate(X509Certificate certificate, PrivateKey privateKey) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public LocalCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        if (Certificates.commonName(certificate).isEmpty()) {
            throw new IllegalArgumentException("certificate subject has no common name (device id)");
        }
    }

    public String deviceId() {
        return Certificates.commonName(certificate).orElseThrow();
    }

    /**
     * Loads a certificate and its private key, checking that the key belongs to the certificate and
     * that the certificate names a device id.
     */
    public static LocalCertificate load(Path certificatePem, Path privateKeyPem) throws CredentialsException {
        X509Certificate certificate = Pem.readCertificate(certificatePem);
        if (Certificates.commonName(certificate).isEmpty()) {
            throw new CredentialsException(certificatePem, "certificate subject has no common name (CN), "
                    + "so it names no device id: " + certificate.getSubjectX500Principal().getName());
        }
        PrivateKey privateKey = Pem.readPrivateKey(privateKeyPem);
        if (!belongTogether(privateKey, certificate.getPublicKey())) {
            throw new CredentialsException(privateKeyPem, privateKey.getAlgorithm()
                    + " private key does not match the public key of certificate " + certificatePem);
        }
        return new LocalCertificate(certificate, privateKey);
    }

    /** A random device id in the form current KDE Connect generates: 32 lowercase hex digits. */
    public static String newDeviceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * A fresh EC P-256 identity {@code CN=deviceId, OU=gsbridge, O=gsbridge}, valid from a year ago
     * (tolerating peers whose clock is behind) for ten years.
     */
    public static LocalCertificate generate(String deviceId) {
        if (deviceId == null || deviceId.isBlank()) {
            throw new IllegalArgumentException("device id must not be blank");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair keys = generator.generateKeyPair();

            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "gsbridge")
                    .addRDN(BCStyle.OU, "gsbridge")
                    .addRDN(BCStyle.CN, deviceId)
                    .build();
            ZonedDateTime now = Instant.now().truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC);
            // 159 random bits plus one: positive, non-zero, and within RFC 5280's 20-octet limit
            // (a 160-bit value with its top bit set would need a 21st, sign, octet).
            BigInteger serial = new BigInteger(159, RANDOM).add(BigInteger.ONE);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, serial,
                    Date.from(now.minusYears(1).toInstant()), Date.from(now.plusYears(10).toInstant()),
                    subject, keys.getPublic());
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            X509CertificateHolder holder = builder.build(signer);
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            return new LocalCertificate(certificate, keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("the JDK cannot generate an EC P-256 certificate", e);
        }
    }

    /**
     * Writes the key (mode 0600) and the certificate (0644). Neither file may exist yet; if the
     * certificate cannot be written the key just written is removed again, so a later attempt
     * starts clean.
     */
    public void save(Path certificatePem, Path privateKeyPem) throws IOException {
        for (Path file : new Path[] {certificatePem, privateKeyPem}) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite");
            }
        }
        Pem.writePrivateKey(privateKeyPem, privateKey);
        try {
            Pem.writeCertificate(certificatePem, certificate);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(privateKeyPem);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Keeps key material out of logs: the record's default would print the private exponent. */
    @Override
    public String toString() {
        return "LocalCertificate[deviceId=" + deviceId() + ", key=" + privateKey.getAlgorithm()
                + ", sha256=" + Certificates.sha256Fingerprint(certificate) + "]";
    }

    /** Signs with the private key and verifies with the public key: works for RSA and EC alike. */
    private static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = "EC".equals(privateKey.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // A key on another curve than the certificate's fails here rather than in verify().
            return false;
        }
    }
}
