package io.github.gsbridge.tls;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the PEM files GSConnect and gsbridge keep their identity in.
 *
 * <p>BouncyCastle is used only to take the PEM and ASN.1 containers apart; the resulting keys and
 * certificates are built by the JDK's own providers, so that the TLS layer (which runs on the JDK's
 * JCA for speed) receives objects its providers handle natively.
 */
public final class Pem {
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private static final Map<ASN1ObjectIdentifier, String> SUPPORTED_KEY_ALGORITHMS = Map.of(
            PKCSObjectIdentifiers.rsaEncryption, "RSA",
            X9ObjectIdentifiers.id_ecPublicKey, "EC");

    private static final Map<ASN1ObjectIdentifier, String> KNOWN_UNSUPPORTED_KEY_ALGORITHMS = Map.of(
            EdECObjectIdentifiers.id_Ed25519, "Ed25519",
            EdECObjectIdentifiers.id_Ed448, "Ed448",
            X9ObjectIdentifiers.id_dsa, "DSA",
            PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS");

    private Pem() {}

    public static X509Certificate readCertificate(Path file) throws CredentialsException {
        return parseCertificate(readText(file), file.toString());
    }

    public static X509Certificate parseCertificate(String pemText) throws CredentialsException {
        return parseCertificate(pemText, "certificate text");
    }

    /**
     * Parses the first PEM block of {@code pemText}, which must be a certificate.
     *
     * @param source names where the text came from, for the exception message
     */
    public static X509Certificate parseCertificate(String pemText, String source) throws CredentialsException {
        Object object = firstObject(pemText, source);
        if (!(object instanceof X509CertificateHolder holder)) {
            throw new CredentialsException(source, "expected a CERTIFICATE block, found " + describe(object));
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
        } catch (CertificateException | IOException e) {
            throw new CredentialsException(source, "not a valid X.509 certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an unencrypted RSA or EC private key in PKCS#8 ({@code PRIVATE KEY}), PKCS#1
     * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}, optionally after the
     * {@code EC PARAMETERS} block {@code openssl ecparam -genkey} writes) form.
     */
    public static PrivateKey readPrivateKey(Path file) throws CredentialsException {
        String source = file.toString();
        try (PEMParser parser = new PEMParser(new StringReader(readText(file)))) {
            Object object = parser.readObject();
            while (object instanceof ASN1ObjectIdentifier || object instanceof X9ECParameters) {
                // The key itself repeats the curve, so a leading EC PARAMETERS block carries nothing we need.
                object = parser.readObject();
            }
            if (object == null) {
                throw new CredentialsException(source, "contains no PEM private key");
            }
            if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new CredentialsException(source, "encrypted private keys are not supported; store it unencrypted");
            }
            if (object instanceof PEMKeyPair pair) {
                return toPrivateKey(pair.getPrivateKeyInfo(), source);
            }
            if (object instanceof PrivateKeyInfo info) {
                return toPrivateKey(info, source);
            }
            throw new CredentialsException(source, "expected a private key, found " + describe(object));
        } catch (IOException e) {
            throw new CredentialsException(source, "malformed PEM: " + e.getMessage(), e);
        }
    }

    private static PrivateKey toPrivateKey(PrivateKeyInfo info, String source) throws CredentialsException {
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm = SUPPORTED_KEY_ALGORITHMS.get(oid);
        if (algorithm == null) {
            String name = KNOWN_UNSUPPORTED_KEY_ALGORITHMS.getOrDefault(oid, "OID " + oid.getId());
            throw new CredentialsException(source, "unsupported key type " + name + " (only RSA and EC are usable)");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new CredentialsException(source, "unsupported " + algorithm + " key: " + e.getMessage(), e);
        }
    }

    /** Standard PEM: 64-character base64 lines, {@code \n} line ends, trailing newline. */
    public static String encode(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
        }
    }

    /** PKCS#8 ({@code BEGIN PRIVATE KEY}), the form GSConnect writes. */
    public static String encode(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("private key has no PKCS#8 encoding (format " + key.getFormat() + ")");
        }
        return encode("PRIVATE KEY", key.getEncoded());
    }

    private static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** Writes a new file readable only by its owner; fails if {@code file} already exists. */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        writeNewFile(file, encode(key), OWNER_READ_WRITE);
    }

    /** Writes a new world-readable file; fails if {@code file} already exists. */
    public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        writeNewFile(file, encode(certificate), WORLD_READABLE);
    }

    private static void writeNewFile(Path file, String content, Set<PosixFilePermission> permissions)
            throws IOException {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "refusing to overwrite");
        }
        // Created with the final (owner-only at most) mode, so the key is never readable by others,
        // even for an instant; chmod afterwards because the creation mode is reduced by the umask.
        Path temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(StandardCharsets.US_ASCII.encode(content));
                channel.force(true);
            }
            Files.setPosixFilePermissions(temporary, permissions);
            // link(2) publishes the complete file atomically and, unlike rename(2), fails instead of
            // replacing a file that appeared after the check above.
            Files.createLink(target, temporary);
        } finally {
            Files.deleteIfExists(temporary);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private static String readText(Path file) throws CredentialsException {
        try {
            // ISO-8859-1 maps every byte, so a binary file reaches the PEM parser and is reported as
            // "no PEM data" rather than as a charset error.
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new CredentialsException(file, "file does not exist", e);
        } catch (AccessDeniedException e) {
            throw new CredentialsException(file, "permission denied", e);
        } catch (IOException e) {
            throw new CredentialsException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static Object firstObject(String pemText, String source) throws CredentialsException {
        try (PEMParser parser = new PEMParser(new StringReader(pemText))) {
            Object object = parser.readObject();
            if (object == null) {
                throw new CredentialsException(source, "contains no PEM data");
            }
            return object;
        } catch (IOException e) {
            throw new CredentialsException(source, "malformed PEM: " + e.getMessage(), e);
        }
    }

    private static String describe(Object pemObject) {
        if (pemObject instanceof PEMKeyPair || pemObject instanceof PrivateKeyInfo
                || pemObject instanceof PEMEncryptedKeyPair || pemObject instanceof PKCS8EncryptedPrivateKeyInfo) {
            return "a private key";
        }
        if (pemObject instanceof X509CertificateHolder) {
            return "a certificate";
        }
        return "another kind of PEM block (" + pemObject.getClass().getSimpleName() + ")";
    }
}
