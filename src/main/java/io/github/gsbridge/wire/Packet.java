package io.github.gsbridge.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One KDE Connect packet: {@code id}, {@code type}, {@code body} and, when a payload follows on a
 * separate connection, its size and the port the sender listens on.
 */
public final class Packet {
    /** How much of a refused value a message quotes: enough to recognise it, not a megabyte of it. */
    private static final int MAX_SHOWN = 64;

    private final long id;
    private final String type;
    private final ObjectNode body;
    private long payloadSize;
    private Integer payloadPort;

    public Packet(String type) {
        this(System.currentTimeMillis(), type, JsonNodeFactory.instance.objectNode(), 0, null);
    }

    Packet(long id, String type, ObjectNode body, long payloadSize, Integer payloadPort) {
        this.id = id;
        this.type = Objects.requireNonNull(type, "type");
        this.body = Objects.requireNonNull(body, "body");
        this.payloadSize = payloadSize;
        this.payloadPort = payloadPort;
    }

    public long id() {
        return id;
    }

    public String type() {
        return type;
    }

    /** The mutable body; plugins fill it before sending. */
    public ObjectNode body() {
        return body;
    }

    /** Payload size in bytes; 0 when none, -1 for "unknown, read to EOF". */
    public long payloadSize() {
        return payloadSize;
    }

    /** Port of the payload listener from {@code payloadTransferInfo}, if the packet announced one. */
    public OptionalInt payloadPort() {
        return payloadPort == null ? OptionalInt.empty() : OptionalInt.of(payloadPort);
    }

    /**
     * Whether a payload is offered: a port to fetch it from, even for 0 bytes. kdeconnect counts
     * a 0-byte offer as none and never connects, but GSConnect offers an empty file that way and
     * keeps its port until the file is fetched; fetching zero bytes costs one connection.
     */
    public boolean hasPayload() {
        return payloadPort != null;
    }

    public Packet withPayload(long size, int port) {
        this.payloadSize = size;
        this.payloadPort = port;
        return this;
    }

    /*
     * Typed reads of body fields. Each takes an absent field and JSON null alike as "not sent"
     * (peers write null for what they do not know), and refuses a field of another type with a
     * PacketFieldException: guessing could act on something the device never said.
     */

    /** A string field; empty when not sent. */
    public Optional<String> text(String field) {
        return read(field, JsonNode::isTextual, "is not a string", JsonNode::textValue);
    }

    /** A string field the packet means nothing without. */
    public String requireText(String field) {
        return text(field).orElseThrow(() -> new PacketFieldException(type, field, "is missing"));
    }

    /**
     * A whole number, sent as a JSON integer or as a string of decimal digits (see
     * {@link WholeNumbers}); empty when not sent; refused when beyond 64 bits.
     */
    public OptionalLong wholeNumber(String field) {
        return read(field, node -> WholeNumbers.of(node).isPresent(), "is not a whole number of 64 bits",
                WholeNumbers::of).orElse(OptionalLong.empty());
    }

    /** A JSON boolean; empty when not sent. A string "true" is refused: no peer writes one. */
    public Optional<Boolean> bool(String field) {
        return read(field, JsonNode::isBoolean, "is not a boolean", JsonNode::booleanValue);
    }

    /** An array of strings, in order; empty when not sent; refused when any element is not a string. */
    public List<String> texts(String field) {
        return read(field, JsonNode::isArray, "is not an array", array -> {
            List<String> texts = new ArrayList<>(array.size());
            for (JsonNode element : array) {
                if (!element.isTextual()) {
                    throw refused(field, "holds a non-string", element);
                }
                texts.add(element.textValue());
            }
            return List.copyOf(texts);
        }).orElse(List.of());
    }

    /**
     * An identifier sent as a string or as a whole number of any size, given back as text:
     * kdeconnectd 25.04 numbers the notifications it forwards ({@code "id":0}), others send strings.
     */
    public Optional<String> identifier(String field) {
        JsonNode node = field(field);
        if (node != null && node.isNumber()) {
            if (!node.canConvertToExactIntegral()) {
                throw refused(field, "is neither a string nor a whole number", node);
            }
            return Optional.of(node.bigIntegerValue().toString());
        }
        return text(field);
    }

    /** The field's value when it is sent and {@code accepted}; refused when it is sent and not. */
    private <T> Optional<T> read(String field, Predicate<JsonNode> accepted, String problem,
                                 Function<JsonNode, T> value) {
        JsonNode node = field(field);
        if (node == null) {
            return Optional.empty();
        }
        if (!accepted.test(node)) {
            throw refused(field, problem, node);
        }
        return Optional.of(value.apply(node));
    }

    private JsonNode field(String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node;
    }

    private PacketFieldException refused(String field, String problem, JsonNode value) {
        String shown = value.toString();
        if (shown.length() > MAX_SHOWN) {
            int end = Character.isHighSurrogate(shown.charAt(MAX_SHOWN - 1)) ? MAX_SHOWN - 1 : MAX_SHOWN;
            shown = shown.substring(0, end) + "…";
        }
        return new PacketFieldException(type, field, problem + ": " + shown);
    }

    public boolean isType(String expected) {
        return type.equals(expected);
    }

    /** Body text for log lines: the type and the body, with payload information when present. */
    @Override
    public String toString() {
        return type + body + (payloadPort == null ? "" : " payload " + payloadSize + "@" + payloadPort);
    }
}
