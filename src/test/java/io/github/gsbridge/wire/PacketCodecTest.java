package io.github.gsbridge.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketCodecTest {
    private static Packet decode(String json) throws MalformedPacketException {
        return PacketCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encodesOneCompactLineWithNumericId() throws Exception {
        Packet packet = new Packet("kdeconnect.ping");
        packet.body().put("message", "hé\nllo");
        byte[] line = PacketCodec.encode(packet);
        String text = new String(line, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("}\n"), text);
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), "only the terminating newline");
        var tree = new ObjectMapper().readTree(text);
        assertTrue(tree.get("id").isIntegralNumber());
        assertEquals("kdeconnect.ping", tree.get("type").asText());
        assertEquals("hé\nllo", tree.get("body").get("message").asText());
        assertFalse(tree.has("payloadSize"), "no payload fields without a payload");
    }

    @Test
    void roundTripsPayloadFields() throws Exception {
        Packet packet = new Packet("kdeconnect.share.request").withPayload(1234567890123L, 1739);
        Packet back = PacketCodec.decode(PacketCodec.encode(packet));
        assertEquals(1234567890123L, back.payloadSize());
        assertEquals(1739, back.payloadPort().getAsInt());
        assertTrue(back.hasPayload());
    }

    @Test
    void acceptsIdAsNumberOrString() throws Exception {
        assertEquals(1700000000000L, decode("{\"id\":1700000000000,\"type\":\"t.x\",\"body\":{}}").id());
        // kdeconnect 22.12 sends the id as a JSON string.
        assertEquals(1700000000000L, decode("{\"id\":\"1700000000000\",\"type\":\"t.x\",\"body\":{}}").id());
        assertEquals(0, decode("{\"id\":\"garbage\",\"type\":\"t.x\",\"body\":{}}").id());
        assertEquals(0, decode("{\"type\":\"t.x\",\"body\":{}}").id());
    }

    @Test
    void payloadPresentOnlyWithSizeAndTransferInfo() throws Exception {
        assertFalse(decode("{\"type\":\"t\",\"body\":{},\"payloadSize\":10}").hasPayload());
        // GSConnect offers empty files this way and waits until they are fetched.
        assertTrue(decode("{\"type\":\"t\",\"body\":{},\"payloadSize\":0,\"payloadTransferInfo\":{\"port\":1739}}").hasPayload());
        assertTrue(decode("{\"type\":\"t\",\"body\":{},\"payloadSize\":-1,\"payloadTransferInfo\":{\"port\":1739}}").hasPayload());
    }

    @Test
    void decimalsReadBackAsTheyWereRead() throws Exception {
        Packet packet = decode("{\"type\":\"t\",\"body\":{\"zero\":0e999,\"tiny\":-1e-400,\"x\":1.10,\"n\":-0.0}}");
        assertEquals(packet.body(), PacketCodec.decode(PacketCodec.encode(packet)).body());
        assertEquals(1.1, packet.body().get("x").doubleValue());
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() throws Exception {
        // "\ud83d" alone is valid JSON (a sender cut an emoji in half), but written back as UTF-8
        // no parser takes it.
        Packet packet = decode("{\"type\":\"t\",\"body\":{\"title\":\"cut \\ud83d\","
                + "\"list\":[{\"x\":\"\\ude00\"}],\"whole\":\"\\ud83d\\ude00\"}}");
        assertEquals("cut \uFFFD", packet.body().get("title").asText());
        assertEquals("\uFFFD", packet.body().get("list").get(0).get("x").asText());
        assertEquals("\uD83D\uDE00", packet.body().get("whole").asText(), "a whole pair is kept");
        assertEquals(packet.body(), PacketCodec.decode(PacketCodec.encode(packet)).body());

        // In a key, Jackson refuses one itself.
        assertThrows(MalformedPacketException.class, () -> decode("{\"type\":\"t\",\"body\":{\"k\\udfff\":1}}"));
    }

    @Test
    void invalidUtf8IsRefusedWhateverCameBefore() throws Exception {
        // Found by fuzzing: once Jackson had read a "payloadSize" key, it took "payloadS\xFFize"
        // for it, in the same line or any later one, though it refused that line read first.
        String share = "{\"type\":\"t\",\"body\":{},\"payloadSize\":5,\"payloadTransferInfo\":{\"port\":1739}}";
        assertEquals(5, decode(share).payloadSize());
        byte[] padded = share.replace("payloadSize", "payloadS\u00FFize").getBytes(StandardCharsets.ISO_8859_1);
        // F7 86 8F BF would be past U+10FFFF; Jackson read it in a key as two lone surrogates.
        byte[] beyondUnicode = "{\"type\":\"t\",\"body\":{\"k\u00F7\u0086\u008F\u00BF\":1}}"
                .getBytes(StandardCharsets.ISO_8859_1);
        for (byte[] line : new byte[][] {padded, beyondUnicode}) {
            String text = new String(line, StandardCharsets.ISO_8859_1);
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> PacketCodec.decode(line), text);
            int firstNonAscii = 0;
            while (line[firstNonAscii] >= 0) {
                firstNonAscii++;
            }
            assertEquals("not UTF-8 at byte " + firstNonAscii, e.getMessage(), text);
        }
    }

    @Test
    void aLineOfCountlessTinyValuesIsRefusedRatherThanBuilt() {
        // As a tree, each {} costs about 100 bytes: this 1.5 MiB line would take some 50 MiB.
        byte[] line = line("{},".repeat(PacketCodec.MAX_TOKENS / 2) + "{}");
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> PacketCodec.decode(line));
        assertTrue(e.getMessage().startsWith("too large to parse: "), e.getMessage());
    }

    @Test
    void bulkInStringsAndManyOrdinaryValuesStillParse() throws Exception {
        String text = "t".repeat(16 * 1024 * 1024);
        assertEquals(text, PacketCodec.decode(line("\"" + text + "\"")).body().get("x").get(0).asText());
        // A notification or identity has a few hundred tokens; this is a hundred times that.
        assertEquals(10_000, PacketCodec.decode(line("{\"a\":1,\"b\":\"c\"},".repeat(9_999) + "{}"))
                .body().get("x").size());
    }

    /** A packet whose body's "x" is the JSON array with these elements. */
    private static byte[] line(String elements) {
        return ("{\"id\":1,\"type\":\"kdeconnect.ping\",\"body\":{\"x\":[" + elements + "]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void missingBodyIsEmpty() throws Exception {
        assertEquals(0, decode("{\"type\":\"kdeconnect.ping\"}").body().size());
    }

    @Test
    void rejectsMalformedPackets() {
        String[] bad = {
            "not json",
            "[1,2]",
            "\"string\"",
            "{\"body\":{}}",
            "{\"type\":5,\"body\":{}}",
            "{\"type\":\"\",\"body\":{}}",
            "{\"type\":\"t\",\"body\":[]}",
            "{\"type\":\"t\",\"body\":\"x\"}",
            "{\"type\":\"t\",\"body\":{},\"payloadSize\":\"12\"}",
            "{\"type\":\"t\",\"body\":{},\"payloadSize\":1.5}",
            "{\"type\":\"t\",\"body\":{},\"payloadSize\":-2}",
            "{\"type\":\"t\",\"body\":{},\"payloadTransferInfo\":[]}",
            "{\"type\":\"t\",\"body\":{},\"payloadSize\":3,\"payloadTransferInfo\":{\"port\":70000}}",
            "{\"type\":\"t\",\"body\":{},\"payloadSize\":3,\"payloadTransferInfo\":{\"port\":\"1739\"}}",
            // Past long range: read as a long, 2^64 + 1 wrapped into port 1.
            "{\"type\":\"t\",\"body\":{},\"payloadSize\":3,\"payloadTransferInfo\":{\"port\":18446744073709551617}}",
            "{\"type\":\"t\",\"type\":\"u\",\"body\":{}}",
            "{\"type\":\"t\",\"body\":{\"a\":1,\"a\":2}}",
            "{\"type\":\"t\",\"body\":{}} {}",
            "{\"type\":\"t\",\"body\":{}",
            // Past double range: Infinity cannot be written back as JSON (found by fuzzing).
            "{\"type\":\"t\",\"body\":{\"d\":1e999}}",
            "{\"type\":\"t\",\"body\":{\"a\":[{\"n\":-1e400}]}}",
            "{\"id\":1E32190000005,\"type\":\"t\"}",
        };
        for (String json : bad) {
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> decode(json), json);
            assertFalse(e.getMessage().isBlank(), json);
        }
    }
}
