package io.github.gsbridge.wire;

/**
 * A body field a reader needs is missing or of another type: the packet is refused. Unchecked,
 * so that a plugin reads fields plainly; the link's reader logs it as a refusal of the packet
 * with the device it came from, and goes on with the next packet.
 */
public final class PacketFieldException extends RuntimeException {
    private final String packetType;
    private final String field;
    private final String reason;

    PacketFieldException(String packetType, String field, String problem) {
        super(packetType + ": " + field + " " + problem);
        this.packetType = packetType;
        this.field = field;
        this.reason = field + " " + problem;
    }

    public String packetType() {
        return packetType;
    }

    public String field() {
        return field;
    }

    /** What is wrong, without the packet type: "time is not a whole number: \"soon\"". */
    public String reason() {
        return reason;
    }
}
