package io.github.gsbridge.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Typed reads of body fields, as peers really write them and as hostile ones might. */
class PacketFieldsTest {
    private static final String TYPE = "kdeconnect.notification";

    /** A received packet of {@link #TYPE} with {@code body} (JSON). */
    private static Packet received(String body) throws MalformedPacketException {
        String line = "{\"id\":1,\"type\":\"" + TYPE + "\",\"body\":" + body + "}";
        return PacketCodec.decode(line.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String expectedReason, String field, Executable read) {
        PacketFieldException e = assertThrows(PacketFieldException.class, read);
        assertEquals(TYPE, e.packetType());
        assertEquals(field, e.field());
        assertEquals(expectedReason, e.reason());
        assertEquals(TYPE + ": " + expectedReason, e.getMessage());
    }

    @Test
    void textIsAStringAndAbsentOrNullIsNotSent() throws Exception {
        Packet p = received("{\"title\":\"Hello\",\"none\":null,\"empty\":\"\"}");
        assertEquals(Optional.of("Hello"), p.text("title"));
        assertEquals(Optional.of(""), p.text("empty"));
        assertEquals(Optional.empty(), p.text("none"));
        assertEquals(Optional.empty(), p.text("missing"));
    }

    @Test
    void textOfAnotherTypeIsRefusedAndNeverGuessed() throws Exception {
        Packet p = received("{\"n\":5,\"b\":true,\"a\":[\"x\"],\"o\":{}}");
        assertRefused("n is not a string: 5", "n", () -> p.text("n"));
        assertRefused("b is not a string: true", "b", () -> p.text("b"));
        assertRefused("a is not a string: [\"x\"]", "a", () -> p.text("a"));
        assertRefused("o is not a string: {}", "o", () -> p.text("o"));
    }

    @Test
    void requireTextRefusesAMissingOrNullField() throws Exception {
        Packet p = received("{\"filename\":\"a.txt\",\"url\":null}");
        assertEquals("a.txt", p.requireText("filename"));
        assertRefused("url is missing", "url", () -> p.requireText("url"));
        assertRefused("text is missing", "text", () -> p.requireText("text"));
        assertRefused("filename is not a string: 12345", "filename",
                () -> received("{\"filename\":12345}").requireText("filename"));
    }

    @Test
    void wholeNumbersComeAsNumbersOrAsStringsOfDigits() throws Exception {
        // Android writes notification times as strings; kdeconnectd 25.04 the pair timestamp.
        Packet p = received("{\"time\":\"1733368800000\",\"numberOfFiles\":3,\"negative\":\"-2\","
                + "\"padded\":\" 42 \",\"max\":9223372036854775807,\"min\":\"-9223372036854775808\"}");
        assertEquals(OptionalLong.of(1733368800000L), p.wholeNumber("time"));
        assertEquals(OptionalLong.of(3), p.wholeNumber("numberOfFiles"));
        assertEquals(OptionalLong.of(-2), p.wholeNumber("negative"));
        assertEquals(OptionalLong.of(42), p.wholeNumber("padded"));
        assertEquals(OptionalLong.of(Long.MAX_VALUE), p.wholeNumber("max"));
        assertEquals(OptionalLong.of(Long.MIN_VALUE), p.wholeNumber("min"));
        assertEquals(OptionalLong.empty(), p.wholeNumber("missing"));
        assertEquals(OptionalLong.empty(), received("{\"time\":null}").wholeNumber("time"));
    }

    @Test
    void wholeNumbersBeyond64BitsFractionsAndWordsAreRefused() throws Exception {
        Packet p = received("{\"big\":92233720368547758070,\"bigText\":\"92233720368547758070\","
                + "\"fraction\":1.5,\"whole\":2.0,\"word\":\"soon\",\"plus\":\"+5\",\"hex\":\"0x10\","
                + "\"fullwidth\":\"\uFF15\",\"empty\":\"\",\"bool\":true,\"array\":[1]}");
        String problem = " is not a whole number of 64 bits: ";
        assertRefused("big" + problem + "92233720368547758070", "big", () -> p.wholeNumber("big"));
        assertRefused("bigText" + problem + "\"92233720368547758070\"", "bigText", () -> p.wholeNumber("bigText"));
        assertRefused("fraction" + problem + "1.5", "fraction", () -> p.wholeNumber("fraction"));
        assertThrows(PacketFieldException.class, () -> p.wholeNumber("whole"), "2.0 is written as a fraction");
        assertRefused("word" + problem + "\"soon\"", "word", () -> p.wholeNumber("word"));
        assertEquals(OptionalLong.of(5), p.wholeNumber("plus"), "a sign is allowed, as Long.parseLong does");
        for (String field : List.of("hex", "fullwidth", "empty", "bool", "array")) {
            assertThrows(PacketFieldException.class, () -> p.wholeNumber(field), field);
        }
    }

    @Test
    void boolIsAJsonBooleanOnly() throws Exception {
        Packet p = received("{\"pair\":true,\"silent\":false,\"word\":\"true\",\"one\":1,\"none\":null}");
        assertEquals(Optional.of(true), p.bool("pair"));
        assertEquals(Optional.of(false), p.bool("silent"));
        assertEquals(Optional.empty(), p.bool("none"));
        assertEquals(Optional.empty(), p.bool("missing"));
        assertRefused("word is not a boolean: \"true\"", "word", () -> p.bool("word"));
        assertRefused("one is not a boolean: 1", "one", () -> p.bool("one"));
    }

    @Test
    void textsAreAnArrayOfStringsInOrder() throws Exception {
        Packet p = received("{\"actions\":[\"Reply\",\"Mark as read\",\"Reply\"],\"none\":[],\"nul\":null}");
        assertEquals(List.of("Reply", "Mark as read", "Reply"), p.texts("actions"));
        assertEquals(List.of(), p.texts("none"));
        assertEquals(List.of(), p.texts("nul"));
        assertEquals(List.of(), p.texts("missing"));
        assertThrows(UnsupportedOperationException.class, () -> p.texts("actions").add("x"), "a copy the caller cannot change");
    }

    @Test
    void textsWithANonStringOrNotAnArrayAreRefused() throws Exception {
        Map<String, String> refusals = Map.of(
                "\"Reply\"", "actions is not an array: \"Reply\"",
                "[\"Reply\",5]", "actions holds a non-string: 5",
                "[null]", "actions holds a non-string: null",
                "[[\"a\"]]", "actions holds a non-string: [\"a\"]");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            Packet p = received("{\"actions\":" + refusal.getKey() + "}");
            assertRefused(refusal.getValue(), "actions", () -> p.texts("actions"));
        }
    }

    @Test
    void identifiersAreStringsOrWholeNumbersOfAnySize() throws Exception {
        Packet p = received("{\"id\":0,\"requestReplyId\":\"a1b2\",\"big\":123456789012345678901234567890,"
                + "\"fraction\":0.5,\"list\":[1]}");
        assertEquals(Optional.of("0"), p.identifier("id"));
        assertEquals(Optional.of("a1b2"), p.identifier("requestReplyId"));
        assertEquals(Optional.of("123456789012345678901234567890"), p.identifier("big"));
        assertEquals(Optional.empty(), p.identifier("missing"));
        assertRefused("fraction is neither a string nor a whole number: 0.5", "fraction", () -> p.identifier("fraction"));
        assertRefused("list is not a string: [1]", "list", () -> p.identifier("list"));
    }

    @Test
    void aRefusalQuotesOnlyTheStartOfAHugeValue() throws Exception {
        String huge = "x".repeat(1 << 20);
        PacketFieldException e = assertThrows(PacketFieldException.class,
                () -> received("{\"time\":\"" + huge + "\"}").wholeNumber("time"));
        assertTrue(e.getMessage().length() < 200, e.getMessage().length() + " characters");
        assertTrue(e.getMessage().startsWith(TYPE + ": time is not a whole number of 64 bits: \"xxx"), e.getMessage());
        // A cut between the halves of a surrogate pair would leave a lone surrogate in the log.
        String emoji = "\uD83D\uDE00".repeat(100);
        e = assertThrows(PacketFieldException.class, () -> received("{\"t\":\"" + emoji + "\"}").bool("t"));
        String message = e.getMessage();
        for (int i = 0; i < message.length(); i++) {
            if (Character.isHighSurrogate(message.charAt(i))) {
                assertTrue(i + 1 < message.length() && Character.isLowSurrogate(message.charAt(i + 1)), "lone surrogate at " + i);
            }
        }
    }

    @Test
    void aPacketWeBuildReadsBackTheSameWay() {
        Packet packet = new Packet("kdeconnect.share.request");
        packet.body().put("filename", "a.txt").put("numberOfFiles", 2).putArray("list").add("x");
        assertEquals("a.txt", packet.requireText("filename"));
        assertEquals(OptionalLong.of(2), packet.wholeNumber("numberOfFiles"));
        assertEquals(List.of("x"), packet.texts("list"));
    }
}
