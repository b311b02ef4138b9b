package io.github.gsbridge.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.OptionalLong;

/**
 * Reads whole numbers the way peers send them: kdeconnect-kde 25.04 writes the pair timestamp as
 * a JSON string, Android writes {@code targetProtocolVersion} and notification times as strings,
 * and the others write numbers. Both forms mean the same, so every reader takes both.
 */
public final class WholeNumbers {
    private WholeNumbers() {}

    /** The value of a JSON integer or of a string of decimal digits (optionally signed); empty otherwise. */
    public static OptionalLong of(JsonNode node) {
        if (node == null) {
            return OptionalLong.empty();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? OptionalLong.of(node.asLong()) : OptionalLong.empty();
        }
        if (node.isTextual()) {
            String text = node.asText().strip();
            // parseLong alone would also take "+5" and fullwidth digits; only plain ASCII decimals are numbers here.
            if (!text.matches("[+-]?[0-9]{1,19}")) {
                return OptionalLong.empty();
            }
            try {
                return OptionalLong.of(Long.parseLong(text));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }
}
