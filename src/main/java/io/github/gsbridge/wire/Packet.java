package io.github.gsbridge.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One KDE Connect packet: {@code id}, {@code type}, {@code body} and, when a payload follows on a
 * separate connection, its size and the port the sender listens on.
 */
public final class Packet {
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

    /** A body field that is a whole number, sent as a number or as a string of digits; empty otherwise. */
    public OptionalLong wholeNumber(String field) {
        return WholeNumbers.of(body.get(field));
    }

    /** A body field that is a JSON boolean; empty when absent or of another type. */
    public Optional<Boolean> bool(String field) {
        JsonNode node = body.get(field);
        return node != null && node.isBoolean() ? Optional.of(node.booleanValue()) : Optional.empty();
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
