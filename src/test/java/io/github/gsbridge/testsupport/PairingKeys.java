package io.github.gsbridge.testsupport;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user compares before accepting a pair request: with protocol 8 the 8-character
 * verification key both sides derive, with protocol 7 the certificates' SHA-256 fingerprints (all that
 * kdeconnectd 22.12 and GSConnect 54 show).
 */
public final class PairingKeys {
    private static final Pattern FINGERPRINT =
            Pattern.compile("(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}|(?<![0-9A-Fa-f])[0-9A-Fa-f]{64}");
    private static final String EMPTY_SHA256 = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";

    private PairingKeys() {}

    /**
     * Asserts that the text a real peer shows ({@code peerShows}) carries the same key as gsbridge's
     * view of the device ({@code device}, from the test driver's {@code devices}) during the request.
     */
    public static void assertSameKey(String peerShows, JsonNode device, int protocolVersion) {
        if (protocolVersion >= 8) {
            String key = device.path("verificationKey").asText();
            assertTrue(key.matches("[0-9A-F]{8}"), "gsbridge shows no verification key: " + device);
            assertTrue(peerShows.toUpperCase(Locale.ROOT).contains(key),
                    "the peer shows " + peerShows + ", gsbridge " + key);
        } else {
            List<String> ours = fingerprints(device.path("encryptionInfo").asText());
            assertEquals(2, ours.size(), "gsbridge shows no two fingerprints: " + device);
            // kdeconnectd 22.12 shows the hash of an empty certificate for a device it has not paired yet
            List<String> theirs = fingerprints(peerShows).stream().filter(f -> !f.equals(EMPTY_SHA256)).toList();
            assertFalse(theirs.isEmpty(), "the peer shows no fingerprint: " + peerShows);
            assertTrue(ours.containsAll(theirs), "the peer shows " + peerShows + ", gsbridge " + ours);
        }
    }

    /** SHA-256 fingerprints in a text, as 64 upper-case hex digits: with or without colons. */
    private static List<String> fingerprints(String text) {
        List<String> found = new ArrayList<>();
        Matcher m = FINGERPRINT.matcher(text);
        while (m.find()) {
            found.add(m.group().replace(":", "").toUpperCase(Locale.ROOT));
        }
        return found;
    }
}
