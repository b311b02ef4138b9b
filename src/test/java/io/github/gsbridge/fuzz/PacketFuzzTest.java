package io.github.gsbridge.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.InvalidIdentityException;
import io.github.gsbridge.wire.LineReader;
import io.github.gsbridge.wire.LineTooLongException;
import io.github.gsbridge.wire.MalformedPacketException;
import io.github.gsbridge.wire.Packet;
import io.github.gsbridge.wire.PacketCodec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a peer controls on the wire: packet lines, identities, line framing. A finding is any
 * exception other than the refusals these parsers are meant to give, or a broken invariant.
 * Without JAZZER_FUZZ the seeds in PacketFuzzTestInputs run as regression tests.
 */
class PacketFuzzTest {
    @FuzzTest(maxDuration = "45s")
    void packetDecoder(byte[] line) throws IOException {
        Packet packet;
        try {
            packet = PacketCodec.decode(line);
        } catch (MalformedPacketException refused) {
            return;
        }
        // Whatever we accept is UTF-8 (decode throws otherwise): Jackson's answer for invalid bytes
        // in a key depended on the keys it had read before.
        StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line));
        // Whatever we accept, we can write back, and it reads the same.
        Packet again;
        try {
            again = PacketCodec.decode(PacketCodec.encode(packet));
        } catch (MalformedPacketException e) {
            throw new AssertionError("re-encoded packet refused: " + e.getMessage(), e);
        }
        assertEquals(packet.type(), again.type());
        assertEquals(packet.body(), again.body());
        assertEquals(packet.payloadPort(), again.payloadPort());
        // The port we would connect to is the number the peer wrote, not one wrapped into range.
        JsonNode written = new ObjectMapper().readTree(line);
        packet.payloadPort().ifPresent(port ->
                assertEquals(written.path("payloadTransferInfo").path("port").asText(), String.valueOf(port)));
    }

    @FuzzTest(maxDuration = "45s")
    void identityValidation(byte[] line) {
        Identity identity;
        try {
            identity = Identity.fromPacket(PacketCodec.decode(line));
        } catch (MalformedPacketException | InvalidIdentityException refused) {
            return;
        }
        assertTrue(identity.deviceId().matches("[a-zA-Z0-9_-]{32,38}"), identity.deviceId());
        assertTrue(!identity.deviceName().isBlank() && identity.deviceName().length() <= 32, identity.deviceName());
        // Nothing invisible that could make the name pass for another device's.
        assertTrue(identity.deviceName().codePoints().noneMatch(c -> Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.SURROGATE
                || (Character.isSpaceChar(c) && c != ' ')), identity.deviceName());
        assertTrue(PacketCodec.encode(identity.toPacket()).length > 0);
    }

    @FuzzTest(maxDuration = "45s")
    void lineFraming(byte[] stream) throws IOException {
        LineReader reader = new LineReader(new ByteArrayInputStream(stream), 64);
        int total = 0;
        try {
            byte[] line;
            while ((line = reader.readLine()) != null) {
                assertTrue(line.length <= 64, "line over the limit: " + line.length);
                total += line.length + 1;
            }
        } catch (LineTooLongException refused) {
            return;
        }
        assertTrue(total <= stream.length, "read more than was there");
    }
}
