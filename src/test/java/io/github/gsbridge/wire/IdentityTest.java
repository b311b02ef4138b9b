package io.github.gsbridge.wire;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentityTest {
    private static final String ID = "740bd4b9b4184ee497d6caf1da8151be";

    private static Identity parse(String body) throws Exception {
        String json = "{\"id\":1,\"type\":\"kdeconnect.identity\",\"body\":" + body + "}";
        return Identity.fromPacket(PacketCodec.decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void roundTripsOurIdentityForEachTransport() throws Exception {
        Identity ours = Identity.of(ID, "my host", "desktop", 8, Set.of("kdeconnect.ping"), Set.of("kdeconnect.ping"));
        Identity udp = Identity.fromPacket(PacketCodec.decode(PacketCodec.encode(ours.withTcpPort(1716).toPacket())));
        assertEquals(1716, udp.tcpPort());
        assertEquals(ours.incomingCapabilities(), udp.incomingCapabilities());
        Identity tcp = Identity.fromPacket(PacketCodec.decode(PacketCodec.encode(
                ours.withTarget("_409668b6_0418_40f4_9bf0_709bc753e8c3_", 7).toPacket())));
        assertNull(tcp.tcpPort());
        assertEquals("_409668b6_0418_40f4_9bf0_709bc753e8c3_", tcp.targetDeviceId());
        assertEquals(7, tcp.targetProtocolVersion());
        assertTrue(PacketCodec.encode(ours.withTcpPort(1716).toPacket()).length < 1024, "well below 8 KiB");
    }

    @Test
    void acceptsTheIdFormsRealPeersUse() throws Exception {
        for (String id : new String[] {ID, "_409668b6_0418_40f4_9bf0_709bc753e8c3_",
                "a909ed85-cf7e-4844-8dec-c6e5eadd077e"}) {
            assertEquals(id, parse("{\"deviceId\":\"" + id + "\",\"deviceName\":\"x\",\"protocolVersion\":7}").deviceId());
        }
    }

    @Test
    void androidSendsTargetProtocolVersionAsString() throws Exception {
        Identity identity = parse("{\"deviceId\":\"" + ID + "\",\"deviceName\":\"phone\",\"protocolVersion\":8,"
                + "\"targetDeviceId\":\"" + ID + "\",\"targetProtocolVersion\":\"8\"}");
        assertEquals(8, identity.targetProtocolVersion());
    }

    @Test
    void sanitisesNames() throws Exception {
        assertEquals("Bobs phone", parse("{\"deviceId\":\"" + ID
                + "\",\"deviceName\":\"Bob's phone!\",\"protocolVersion\":7}").deviceName());
        assertEquals("a".repeat(32), Identity.sanitizeName("a".repeat(40)));
        assertEquals("tab", Identity.sanitizeName("t\u0000a\nb"));
        // No lone surrogate when truncation would split an emoji.
        String cut = Identity.sanitizeName("a".repeat(31) + "\uD83D\uDE00");
        assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - 1)));
    }

    @Test
    void namesCannotPassForAnotherDevice() throws Exception {
        // A bidi override turns "7 lexiP" into what a terminal and a desktop show as "Pixel 7".
        assertEquals("7 lexiP", Identity.sanitizeName("\u202E7 lexiP"));
        assertEquals("Pixel 7", Identity.sanitizeName("Pi\u200Bxel\u200D 7\u2066\u2069\uFEFF\u2060\u200E"));
        assertEquals("Pixel 7", Identity.sanitizeName("Pixel\u00A0\u2007 \u30007"));
        assertEquals("Pixel 7", Identity.sanitizeName("\u2028Pixel 7\u2029\u0085\u009B"));
        assertEquals("Pixel 7", Identity.sanitizeName("Pixel \uD8007"));
        // Removed before the cut, so invisible padding cannot push the real name out.
        assertEquals("Pixel 7", Identity.sanitizeName("\u200B".repeat(40) + "Pixel 7"));
        assertThrows(InvalidIdentityException.class, () -> parse("{\"deviceId\":\"" + ID
                + "\",\"deviceName\":\"\\u202E\\u200B\\u00A0\",\"protocolVersion\":7}"));
        assertEquals("Pixel 7", parse("{\"deviceId\":\"" + ID
                + "\",\"deviceName\":\"\\u202APixel 7\\u202C\",\"protocolVersion\":7}").deviceName());
        assertEquals("Ana\u00EFs \uD83D\uDE00 \u0645\u0631\u062D\u0628\u0627",
                Identity.sanitizeName("Ana\u00EFs \uD83D\uDE00 \u0645\u0631\u062D\u0628\u0627"));
    }

    @Test
    void rejectsInvalidIdentities() {
        String[] bad = {
            "{\"deviceName\":\"x\",\"protocolVersion\":7}",
            "{\"deviceId\":\"short\",\"deviceName\":\"x\",\"protocolVersion\":7}",
            "{\"deviceId\":\"" + "a".repeat(39) + "\",\"deviceName\":\"x\",\"protocolVersion\":7}",
            "{\"deviceId\":\"" + ID.substring(0, 31) + "/\",\"deviceName\":\"x\",\"protocolVersion\":7}",
            "{\"deviceId\":\"" + ID + "\",\"deviceName\":\"...\",\"protocolVersion\":7}",
            "{\"deviceId\":\"" + ID + "\",\"protocolVersion\":7}",
            "{\"deviceId\":\"" + ID + "\",\"deviceName\":\"x\"}",
            "{\"deviceId\":\"" + ID + "\",\"deviceName\":\"x\",\"protocolVersion\":\"seven\"}",
            "{\"deviceId\":\"" + ID + "\",\"deviceName\":\"x\",\"protocolVersion\":7,\"incomingCapabilities\":\"a\"}",
            "{\"deviceId\":\"" + ID + "\",\"deviceName\":\"x\",\"protocolVersion\":7,\"outgoingCapabilities\":[1]}",
            "{\"deviceId\":\"" + ID + "\",\"deviceName\":\"x\",\"protocolVersion\":7,\"tcpPort\":\"x\"}",
            "{\"deviceId\":7,\"deviceName\":\"x\",\"protocolVersion\":7}",
        };
        for (String body : bad) {
            assertThrows(InvalidIdentityException.class, () -> parse(body), body);
        }
        assertThrows(InvalidIdentityException.class,
                () -> Identity.fromPacket(PacketCodec.decode("{\"type\":\"kdeconnect.ping\",\"body\":{}}".getBytes())));
    }

    @Test
    void aRefusedIdentitySaysWhoAndWhichField() {
        InvalidIdentityException e = assertThrows(InvalidIdentityException.class, () -> parse("{\"deviceId\":\"" + ID
                + "\",\"deviceName\":\"x\",\"protocolVersion\":7,\"outgoingCapabilities\":[\"kdeconnect.ping\",1]}"));
        assertEquals(ID + ": outgoingCapabilities holds a non-string: 1", e.getMessage());
        e = assertThrows(InvalidIdentityException.class,
                () -> parse("{\"deviceId\":7,\"deviceName\":\"x\",\"protocolVersion\":7}"));
        assertEquals("deviceId is not a string: 7", e.getMessage());
        e = assertThrows(InvalidIdentityException.class, () -> parse("{\"deviceId\":\"" + ID
                + "\",\"deviceName\":\"x\",\"protocolVersion\":7,\"tcpPort\":4294967296}"));
        assertEquals(ID + ": tcpPort is out of range", e.getMessage());
    }

    @Test
    void filteredIdsAreDbusSafe() {
        assertEquals("a909ed85_cf7e_4844_8dec_c6e5eadd077e", DeviceIds.filtered("a909ed85-cf7e-4844-8dec-c6e5eadd077e"));
        assertEquals(ID, DeviceIds.filtered(ID));
    }
}
