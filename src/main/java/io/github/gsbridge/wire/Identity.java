package io.github.gsbridge.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code kdeconnect.identity} body: who a device is and which packet types it takes and sends.
 * {@code tcpPort} travels only in UDP announcements, {@code target*} only in the clear-text
 * identity of the side that opened the TCP connection.
 */
public record Identity(
        String deviceId,
        String deviceName,
        String deviceType,
        int protocolVersion,
        Set<String> incomingCapabilities,
        Set<String> outgoingCapabilities,
        Integer tcpPort,
        String targetDeviceId,
        Integer targetProtocolVersion) {

    public static final String TYPE = "kdeconnect.identity";
    /** Characters kdeconnect-kde, Android and GSConnect strip from device names. */
    private static final String FORBIDDEN_NAME_CHARS = "\"',;:.!?()[]<>";
    private static final int MAX_NAME_LENGTH = 32;

    public Identity {
        incomingCapabilities = Collections.unmodifiableSet(new TreeSet<>(incomingCapabilities));
        outgoingCapabilities = Collections.unmodifiableSet(new TreeSet<>(outgoingCapabilities));
    }

    /** Our own identity, without the transport-specific fields. */
    public static Identity of(String deviceId, String deviceName, String deviceType, int protocolVersion,
                              Set<String> incoming, Set<String> outgoing) {
        return new Identity(deviceId, deviceName, deviceType, protocolVersion, incoming, outgoing, null, null, null);
    }

    public Identity withTcpPort(int port) {
        return new Identity(deviceId, deviceName, deviceType, protocolVersion, incomingCapabilities,
                outgoingCapabilities, port, null, null);
    }

    public Identity withTarget(String peerId, int peerProtocolVersion) {
        return new Identity(deviceId, deviceName, deviceType, protocolVersion, incomingCapabilities,
                outgoingCapabilities, null, peerId, peerProtocolVersion);
    }

    public Packet toPacket() {
        Packet packet = new Packet(TYPE);
        ObjectNode body = packet.body();
        body.put("deviceId", deviceId);
        body.put("deviceName", deviceName);
        body.put("deviceType", deviceType);
        body.put("protocolVersion", protocolVersion);
        ArrayNode in = body.putArray("incomingCapabilities");
        incomingCapabilities.forEach(in::add);
        ArrayNode out = body.putArray("outgoingCapabilities");
        outgoingCapabilities.forEach(out::add);
        if (tcpPort != null) {
            body.put("tcpPort", tcpPort);
        }
        if (targetDeviceId != null) {
            body.put("targetDeviceId", targetDeviceId);
            body.put("targetProtocolVersion", targetProtocolVersion);
        }
        return packet;
    }

    /** Validates and normalises a received identity; the device name comes back sanitised. */
    public static Identity fromPacket(Packet packet) throws InvalidIdentityException {
        if (!packet.isType(TYPE)) {
            throw new InvalidIdentityException("expected " + TYPE + " but got " + packet.type());
        }
        ObjectNode body = packet.body();
        String id = text(body, "deviceId");
        if (!DeviceIds.isValid(id)) {
            throw new InvalidIdentityException("invalid deviceId " + quote(id));
        }
        String rawName = text(body, "deviceName");
        String name = sanitizeName(rawName == null ? "" : rawName);
        if (name.isBlank()) {
            throw new InvalidIdentityException(id + ": invalid deviceName " + quote(rawName));
        }
        Integer version = integer(body.get("protocolVersion"));
        if (version == null || version < 1) {
            throw new InvalidIdentityException(id + ": missing or invalid protocolVersion");
        }
        String type = text(body, "deviceType");
        Integer tcpPort = null;
        if (body.has("tcpPort")) {
            tcpPort = integer(body.get("tcpPort"));
            if (tcpPort == null) {
                throw new InvalidIdentityException(id + ": tcpPort is not an integer");
            }
        }
        String target = body.has("targetDeviceId") ? text(body, "targetDeviceId") : null;
        // Android sends targetProtocolVersion as a string.
        Integer targetVersion = body.has("targetProtocolVersion") ? integer(body.get("targetProtocolVersion")) : null;
        return new Identity(id, name, type == null || type.isBlank() ? "desktop" : type, version,
                capabilities(body, "incomingCapabilities", id), capabilities(body, "outgoingCapabilities", id),
                tcpPort, target, targetVersion);
    }

    /**
     * Removes the characters peers refuse and truncates to 32 UTF-16 units, as kdeconnect-kde
     * does; also removes what lets a name pass for another: format characters (bidi overrides and
     * isolates, zero-width characters), controls and lone surrogates, and makes every run of
     * spaces of any kind (line separators included) one plain space.
     */
    public static String sanitizeName(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            if (Character.isSpaceChar(c)) {
                if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
            } else if (FORBIDDEN_NAME_CHARS.indexOf(c) < 0 && !isInvisible(c)) {
                out.appendCodePoint(c);
            }
        });
        String result = out.toString().strip();
        if (result.length() > MAX_NAME_LENGTH) {
            int end = MAX_NAME_LENGTH;
            if (Character.isHighSurrogate(result.charAt(end - 1))) {
                end--;
            }
            result = result.substring(0, end).strip();
        }
        return result;
    }

    private static boolean isInvisible(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE;
    }

    private static Set<String> capabilities(ObjectNode body, String field, String id) throws InvalidIdentityException {
        JsonNode node = body.get(field);
        Set<String> result = new TreeSet<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isArray()) {
            throw new InvalidIdentityException(id + ": " + field + " is not an array");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new InvalidIdentityException(id + ": " + field + " contains a non-string");
            }
            result.add(item.asText());
        }
        return result;
    }

    private static String text(ObjectNode body, String field) throws InvalidIdentityException {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidIdentityException(field + " is not a string");
        }
        return node.asText();
    }

    private static Integer integer(JsonNode node) {
        OptionalLong value = WholeNumbers.of(node);
        return value.isPresent() && value.getAsLong() >= Integer.MIN_VALUE && value.getAsLong() <= Integer.MAX_VALUE
                ? (int) value.getAsLong() : null;
    }

    private static String quote(String s) {
        return s == null ? "(missing)" : "\"" + s + "\"";
    }
}
