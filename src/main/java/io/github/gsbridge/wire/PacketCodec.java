package io.github.gsbridge.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/** Packets as single JSON lines, the way every KDE Connect implementation frames them. */
public final class PacketCodec {
    /** Identity packets: kdeconnect-kde and Valent drop identities larger than this. */
    public static final int MAX_IDENTITY_LINE = 8 * 1024;
    /** Link packets: kdeconnect-kde and Android drop lines larger than this. */
    public static final int MAX_LINK_LINE = 32 * 1024 * 1024;
    /**
     * JSON tokens (brackets, keys, values) in one packet. A parsed tree costs up to about 70 bytes
     * a token, so a 31 MiB line of {@code {},{},...} took over 1 GiB of heap; with this limit no
     * line's tree exceeds about 9 MiB. Real packets have a few hundred tokens; what has many
     * (an SMS thread, a contact list) puts its bulk in strings, which count one token each.
     */
    static final int MAX_TOKENS = 1 << 17;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxTokenCount(MAX_TOKENS).build())
                    .build())
            // A duplicated key is ambiguous (which one does the peer mean?): refuse the packet.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private PacketCodec() {}

    /** The packet as compact UTF-8 JSON followed by a single newline. */
    public static byte[] encode(Packet packet) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("id", packet.id());
        root.put("type", packet.type());
        root.set("body", packet.body());
        if (packet.payloadPort().isPresent()) {
            root.put("payloadSize", packet.payloadSize());
            root.putObject("payloadTransferInfo").put("port", packet.payloadPort().getAsInt());
        }
        try {
            byte[] json = MAPPER.writeValueAsBytes(root);
            byte[] line = new byte[json.length + 1];
            System.arraycopy(json, 0, line, 0, json.length);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + packet.type(), e);
        }
    }

    public static Packet decode(byte[] line) throws MalformedPacketException {
        return decode(line, 0, line.length);
    }

    /** Parses one line (without or with its trailing newline). */
    public static Packet decode(byte[] buffer, int offset, int length) throws MalformedPacketException {
        requireUtf8(buffer, offset, length);
        JsonNode root;
        try {
            root = MAPPER.readTree(buffer, offset, length);
        } catch (StreamConstraintsException e) {
            throw new MalformedPacketException("too large to parse: " + firstLine(e.getMessage()), e);
        } catch (java.io.IOException e) {
            throw new MalformedPacketException("not JSON: " + firstLine(e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedPacketException("not a JSON object");
        }
        WellFormed.repair(root);
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual() || type.asText().isEmpty()) {
            throw new MalformedPacketException("missing or non-string \"type\"");
        }
        JsonNode body = root.get("body");
        ObjectNode bodyObject;
        if (body == null || body.isNull()) {
            bodyObject = JsonNodeFactory.instance.objectNode();
        } else if (body.isObject()) {
            bodyObject = (ObjectNode) body;
        } else {
            throw new MalformedPacketException(type.asText() + ": \"body\" is not an object");
        }
        long payloadSize = 0;
        JsonNode size = root.get("payloadSize");
        if (size != null && !size.isNull()) {
            if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < -1) {
                throw new MalformedPacketException(type.asText() + ": \"payloadSize\" is not an integer >= -1");
            }
            payloadSize = size.asLong();
        }
        Integer port = null;
        JsonNode info = root.get("payloadTransferInfo");
        if (info != null && !info.isNull()) {
            if (!info.isObject()) {
                throw new MalformedPacketException(type.asText() + ": \"payloadTransferInfo\" is not an object");
            }
            JsonNode portNode = info.get("port");
            if (portNode != null) {
                // asLong() wraps a number past long range, e.g. 2^64 + 1 into 1: check the range first.
                if (!portNode.isIntegralNumber() || !portNode.canConvertToInt()
                        || portNode.intValue() < 1 || portNode.intValue() > 65535) {
                    throw new MalformedPacketException(type.asText() + ": payload port is not a TCP port");
                }
                port = portNode.asInt();
            }
        }
        return new Packet(parseId(root.get("id")), type.asText(), bodyObject, payloadSize, port);
    }

    /**
     * JSON between systems is UTF-8 (RFC 8259), and Jackson does not check it in a key it has read
     * before: it pads a key's last bytes with 0xFF to look it up, so {@code "payloadS\xFFize"} was
     * taken for a {@code payloadSize} read earlier, maybe from another device, while the same line
     * alone was refused (found by fuzzing). Other invalid bytes in keys passed as lone surrogates.
     * Checked first, the answer no longer depends on what came before.
     */
    private static void requireUtf8(byte[] buffer, int offset, int length) throws MalformedPacketException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.wrap(buffer, offset, length);
        CharBuffer out = CharBuffer.allocate(Math.max(1, Math.min(length, 8192)));
        CoderResult result;
        while ((result = decoder.decode(in, out, true)).isOverflow()) {
            out.clear();
        }
        if (result.isError()) {
            throw new MalformedPacketException("not UTF-8 at byte " + (in.position() - offset));
        }
    }

    /** kdeconnect-kde 22.12 writes the id as a string, everyone else as a number; nobody reads it. */
    private static long parseId(JsonNode id) {
        if (id == null) {
            return 0;
        }
        if (id.isIntegralNumber()) {
            return id.asLong();
        }
        if (id.isTextual()) {
            try {
                return Long.parseLong(id.asText().trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
