package io.github.gsbridge.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * What JSON can hold but a packet cannot, found in a parsed tree before anyone reads it: a packet
 * we accept must be one we can write back (forwarding, logging, storing) and read the same.
 */
final class WellFormed {
    private WellFormed() {}

    /**
     * Replaces lone UTF-16 surrogates (an escaped {@code "\ud83d"}, e.g. an emoji cut in half by a
     * sender that truncates text) in strings with U+FFFD, as Qt's and GLib's parsers do: written
     * out as UTF-8 they would be bytes no JSON parser takes. (Keys never hold one: the line is
     * refused unless it is UTF-8, and Jackson refuses an escaped lone surrogate in a key.)
     * Refuses numbers past double range (1e999), which parse as Infinity and cannot be written as
     * JSON at all.
     */
    static void repair(JsonNode root) throws MalformedPacketException {
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node instanceof ObjectNode object) {
                for (Map.Entry<String, JsonNode> field : object.properties()) {
                    JsonNode value = field.getValue();
                    JsonNode repaired = scalar(value);
                    if (repaired != value) {
                        field.setValue(repaired);
                    } else if (value.isContainerNode()) {
                        pending.push(value);
                    }
                }
            } else if (node instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    JsonNode value = array.get(i);
                    JsonNode repaired = scalar(value);
                    if (repaired != value) {
                        array.set(i, repaired);
                    } else if (value.isContainerNode()) {
                        pending.push(value);
                    }
                }
            }
        }
    }

    private static JsonNode scalar(JsonNode value) throws MalformedPacketException {
        if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
            throw new MalformedPacketException("a number is out of range");
        }
        if (value.isTextual() && !isWellFormed(value.textValue())) {
            return TextNode.valueOf(repaired(value.textValue()));
        }
        return value;
    }

    static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String repaired(String text) {
        if (isWellFormed(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}
