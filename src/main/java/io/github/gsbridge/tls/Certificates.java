package io.github.gsbridge.tls;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/** Small facts about certificates that KDE Connect identifies devices by. */
public final class Certificates {
    private Certificates() {}

    /**
     * The subject's common name, which KDE Connect uses as the device id. If the subject has
     * several, the first one in encoding order, as Qt's {@code subjectInfo(CommonName).first()}.
     */
    public static Optional<String> commonName(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RDN[] names = subject.getRDNs(BCStyle.CN);
        if (names.length == 0) {
            return Optional.empty();
        }
        ASN1Encodable value = names[0].getFirst().getValue();
        // The raw string, not IETFUtils' RFC 4514 escaped form, because the id is compared verbatim.
        String text = value instanceof ASN1String string ? string.getString() : IETFUtils.valueToString(value);
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** Whether both are the very same certificate (DER equality), which is how peers are pinned. */
    public static boolean sameCertificate(X509Certificate a, X509Certificate b) {
        return Arrays.equals(der(a), der(b));
    }

    /** SHA-256 of the DER, as {@code AB:CD:...}, the form GSConnect shows for verification. */
    public static String sha256Fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(der(certificate));
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    public static boolean isValidNow(X509Certificate certificate) {
        try {
            certificate.checkValidity();
            return true;
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return false;
        }
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
        }
    }
}
