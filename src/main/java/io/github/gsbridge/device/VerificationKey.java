package io.github.gsbridge.device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The short code both sides show while pairing: SHA-256 over both public keys (larger first, as
 * unsigned bytes) and, with protocol 8, the pair request's timestamp; first 8 hex digits.
 */
public final class VerificationKey {
    private VerificationKey() {}

    public static String of(PublicKey ours, PublicKey theirs, Long requestTimestamp) {
        byte[] a = ours.getEncoded();
        byte[] b = theirs.getEncoded();
        if (Arrays.compareUnsigned(a, b) < 0) {
            byte[] swap = a;
            a = b;
            b = swap;
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(a);
            sha256.update(b);
            if (requestTimestamp != null) {
                sha256.update(Long.toString(requestTimestamp).getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(sha256.digest()).substring(0, 8).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
