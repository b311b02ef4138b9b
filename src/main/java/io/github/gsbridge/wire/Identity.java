package io.github.gsbridge.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.Optional;
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
        String id;
        try {
            id = packet.text("deviceId").orElse(null);
        } catch (PacketFieldException e) {
            throw new InvalidIdentityException(e.reason());
        }
        if (!DeviceIds.isValid(id)) {
            throw new InvalidIdentityException("invalid deviceId " + quote(id));
        }
        try {
            return fromValidId(packet, id);
        } catch (PacketFieldException e) {
            throw new InvalidIdentityException(id + ": " + e.reason());
        }
    }

    private static Identity fromValidId(Packet packet, String id) throws InvalidIdentityException {
        Optional<String> rawName = packet.text("deviceName");
        String name = sanitizeName(rawName.orElse(""));
        if (name.isBlank()) {
            throw new InvalidIdentityException(id + ": invalid deviceName " + quote(rawName.orElse(null)));
        }
        Integer version = integer(packet, "protocolVersion");
        if (version == null || version < 1) {
            throw new InvalidIdentityException(id + ": missing or invalid protocolVersion");
        }
        String type = packet.text("deviceType").filter(t -> !t.isBlank()).orElse("desktop");
        Integer tcpPort = integer(packet, "tcpPort");
        if (tcpPort == null && packet.wholeNumber("tcpPort").isPresent()) {
            throw new InvalidIdentityException(id + ": tcpPort is out of range");
        }
        // Android sends targetProtocolVersion as a string, which wholeNumber takes.
        return new Identity(id, name, type, version, Set.copyOf(packet.texts("incomingCapabilities")),
                Set.copyOf(packet.texts("outgoingCapabilities")), tcpPort,
                packet.text("targetDeviceId").orElse(null), integer(packet, "targetProtocolVersion"));
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

    /** The field as an int; null when not sent or beyond the int range. */
    private static Integer integer(Packet packet, String field) {
        OptionalLong value = packet.wholeNumber(field);
        return value.isPresent() && value.getAsLong() >= Integer.MIN_VALUE && value.getAsLong() <= Integer.MAX_VALUE
                ? (int) value.getAsLong() : null;
    }

    private static String quote(String s) {
        return s == null ? "(missing)" : "\"" + s + "\"";
    }
}
