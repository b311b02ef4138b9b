package io.github.gsbridge.credentials;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GVariantTextTest {
    private static final String PEM_DUMPED = "'-----BEGIN CERTIFICATE-----\\nMIIBszCCAVmgAwIBAgIU\\n"
            + "dGVzdA==\\n-----END CERTIFICATE-----\\n'";

    @Test
    void pemWithBackslashNEscapesHasRealNewlines() {
        assertEquals("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\ndGVzdA==\n-----END CERTIFICATE-----\n",
                GVariantText.parse(PEM_DUMPED));
    }

    @Test
    void strings() {
        assertEquals("it's", GVariantText.parse("\"it's\""));
        assertEquals("both'\"", GVariantText.parse("\"both'\\\"\""));
        assertEquals("it's", GVariantText.parse("'it\\'s'"));
        assertEquals("q\"", GVariantText.parse("'q\"'"));
        assertEquals("é😀 Ünïcødé", GVariantText.parse("'é😀 Ünïcødé'"));
        assertEquals("end\\", GVariantText.parse("'end\\\\'"));
        assertEquals("", GVariantText.parse("''"));
        assertEquals("\u0007\b\f\n\r\t\u000b", GVariantText.parse("'\\a\\b\\f\\n\\r\\t\\v'"));
        assertEquals("é😀\u0001", GVariantText.parse("'\\u00E9\\U0001F600\\u0001'"));
        assertEquals("/org/x", GVariantText.parse("objectpath '/org/x'"));
        assertEquals("a{sv}", GVariantText.parse("signature 'a{sv}'"));
        assertEquals("typed", GVariantText.parse("@s 'typed'"));
    }

    @Test
    void booleansAndNumbers() {
        assertEquals(true, GVariantText.parse("true"));
        assertEquals(false, GVariantText.parse("  false\n"));
        assertEquals(5L, GVariantText.parse("5"));
        assertEquals(-5L, GVariantText.parse("-5"));
        assertEquals(5L, GVariantText.parse("uint32 5"));
        assertEquals(3L, GVariantText.parse("int64 3"));
        assertEquals(0x41L, GVariantText.parse("byte 0x41"));
        assertEquals(-32768L, GVariantText.parse("int16 -32768"));
        assertEquals(-1L, GVariantText.parse("uint64 18446744073709551615"), "uint64 keeps its bits");
        assertEquals(31L, GVariantText.parse("0x1f"));
        assertEquals(8L, GVariantText.parse("010"), "a leading zero means octal, as in GLib");
        assertEquals(1.5, GVariantText.parse("1.5"));
        assertEquals(1000.0, GVariantText.parse("1e3"));
        assertEquals(0.5, GVariantText.parse(".5"));
        assertEquals(3.0, GVariantText.parse("double 3"));
        assertEquals(Double.NEGATIVE_INFINITY, GVariantText.parse("-inf"));
        assertTrue(((Double) GVariantText.parse("nan")).isNaN());
        assertEquals(7L, GVariantText.parse("handle 7"));
    }

    @Test
    void containers() {
        assertEquals(List.of("a", "b"), GVariantText.parse("['a', 'b']"));
        assertEquals(List.of("a", "b"), GVariantText.parse("[ 'a' ,'b' ]"));
        assertEquals(List.of(), GVariantText.parse("@as []"));
        assertEquals(Map.of(), GVariantText.parse("@a{ss} {}"));
        assertEquals(Map.of("k", "v", "x", "it's"), GVariantText.parse("{'k': 'v', 'x': \"it's\"}"));
        assertEquals(List.of(800L, 600L), GVariantText.parse("(800, 600)"));
        assertEquals(List.of(), GVariantText.parse("()"));
        assertEquals(List.of(1L), GVariantText.parse("(1,)"));
        assertEquals(List.of(List.of(1L), List.of(2L, 3L)), GVariantText.parse("[[1], [2, 3]]"));
        assertEquals(List.of(List.of(), List.of("a")), GVariantText.parse("[@as [], ['a']]"));
        assertEquals(Map.of("a", 1L, "b", List.of("x")), GVariantText.parse("@a{sv} {'a': <1>, 'b': <['x']>}"));
        assertEquals(Map.of("1", "one"), GVariantText.parse("{1: 'one'}"));
        assertEquals(List.of(1.0, 2.0), GVariantText.parse("@ad [1, 2]"));
        assertEquals(List.of(1L, "s", true), GVariantText.parse("@(isb) (1, 's', true)"));
        assertEquals(List.of(0x61L, 0x62L, 1L, 0L), GVariantText.parse("b'ab\\001'"),
                "a bytestring holds its bytes and a terminating NUL");
        assertEquals("v", GVariantText.parse("<'v'>"));
    }

    /** Everything here is what real dconf 0.40 prints for values `dconf write` accepts (checked by hand). */
    @Test
    void maybeValuesAndDictEntriesAsDconfPrintsThem() {
        assertEquals(Optional.of("hello"), GVariantText.parse("@ms 'hello'"));
        assertEquals(Optional.empty(), GVariantText.parse("@ms nothing"));
        assertEquals(Optional.of(5L), GVariantText.parse("@mi 5"));
        assertEquals(Optional.of(5L), GVariantText.parse("just 5"));
        assertEquals(Optional.of(Optional.empty()), GVariantText.parse("@mmb just nothing"));
        assertEquals(Optional.of(Optional.of(true)), GVariantText.parse("@mmb true"));
        assertEquals(Optional.empty(), GVariantText.parse("@mmb nothing"));
        assertEquals(Optional.of(Optional.of(Optional.empty())), GVariantText.parse("@mmms just just nothing"));
        assertEquals(Optional.of(List.of()), GVariantText.parse("@mas []"));
        assertEquals(Optional.of(List.of("x", 1L)), GVariantText.parse("@m(si) ('x', 1)"));
        assertEquals(Optional.of(1L), GVariantText.parse("@mv <1>"));
        assertEquals(Optional.of(Optional.empty()), GVariantText.parse("@mv <@ms nothing>"));
        assertEquals(Optional.of(1.5), GVariantText.parse("@md 1.5"));
        assertEquals(Map.of("k", Optional.empty()), GVariantText.parse("{'k': <@mb nothing>}"));
        assertEquals(List.of("a", 1L), GVariantText.parse("{'a', <1>}"));
        assertEquals(List.of("a", 1L), GVariantText.parse("@{sv} {'a', <1>}"));
        // Only the first element is annotated; the others have its type.
        assertEquals(List.of(Optional.of(1L), Optional.empty()), GVariantText.parse("[@mi 1, nothing]"));
        assertEquals(List.of(Optional.empty(), Optional.of(true)), GVariantText.parse("[@mb nothing, true]"));
        assertEquals(List.of(List.of(Optional.empty(), 1L), List.of(Optional.of("x"), 2L)),
                GVariantText.parse("[(@ms nothing, 1), ('x', 2)]"));
        assertEquals(List.of(Optional.of(List.of("a")), Optional.empty()), GVariantText.parse("[@mas ['a'], nothing]"));
        assertEquals(Map.of("a", Optional.empty(), "b", Optional.of("x")),
                GVariantText.parse("{'a': @ms nothing, 'b': 'x'}"));
        assertEquals(Map.of("a", List.of(Optional.empty())), GVariantText.parse("{'a': (@ms nothing,)}"));
        assertEquals(List.of(Optional.empty(), List.of()), GVariantText.parse("(@ms nothing, @as [])"));
        assertEquals(List.of(1L, 2L), GVariantText.parse("[int64 1, 2]"));
        assertEquals(List.of(1L, 2L), GVariantText.parse("(byte 0x01, int16 2)"));
        assertEquals(List.of(List.of("a"), List.of()), GVariantText.parse("[['a'], []]"));
    }

    @Test
    void keyOrderOfDictionariesIsKept() {
        Map<?, ?> dict = (Map<?, ?>) GVariantText.parse("{'z': 1, 'a': 2, 'm': 3}");
        assertEquals(List.of("z", "a", "m"), List.copyOf(dict.keySet()));
    }

    @Test
    void nestingIsBoundedLikeGlib() {
        // Found by fuzzing: ten thousand nested dictionaries overflowed the stack.
        String deepest = "[".repeat(GVariantText.MAX_DEPTH - 1) + "1" + "]".repeat(GVariantText.MAX_DEPTH - 1);
        Object parsed = GVariantText.parse(deepest);
        for (int level = 1; level < GVariantText.MAX_DEPTH; level++) {
            parsed = ((List<?>) parsed).get(0);
        }
        assertEquals(1, ((Number) parsed).intValue());

        String values = "{'k': ".repeat(10_000) + "1" + "}".repeat(10_000);
        GVariantParseException tooDeep = assertThrows(GVariantParseException.class, () -> GVariantText.parse(values));
        assertTrue(tooDeep.getMessage().contains("nested more than 128 deep"), tooDeep.getMessage());

        // Found by fuzzing: '@' takes a type up to 128 deep, but the type a tuple infers for its
        // members is deeper still; the next tuple of the array is then read with that type.
        String deepMember = "((@" + "a".repeat(GVariantText.MAX_DEPTH) + "i [], 1), 1)";
        GVariantParseException deepTuple = assertThrows(GVariantParseException.class,
                () -> GVariantText.parse("[" + deepMember + ", " + deepMember + "]"));
        assertTrue(deepTuple.getMessage().contains("type nested more than 128 deep"), deepTuple.getMessage());
        assertEquals(3 + deepMember.length(), deepTuple.position(), deepTuple.getMessage());

        String type = "@" + "a".repeat(10_000) + "s []";
        GVariantParseException badType = assertThrows(GVariantParseException.class, () -> GVariantText.parse(type));
        assertTrue(badType.getMessage().contains("definite GVariant type"), badType.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            'abc                     | 0  | unterminated string
            'abc\\'                  | 0  | unterminated string
            'a\\qb'                  | 2  | unsupported escape '\\q'
            'a\\x41'                 | 2  | unsupported escape '\\x'
            'a\\101'                 | 2  | unsupported escape '\\1'
            '\\u12'                  | 1  | expected 4 hex digits
            '\\u0000'                | 1  | not a character
            '\\ud800'                | 1  | not a character
            '\\U00110000'            | 1  | not a character
            '\\UF0000055'            | 1  | not a character
            'a' junk                 | 4  | expected end of input but found 'j'
            true false               | 5  | expected end of input
            ['a', 'b'                | 9  | expected ',' or ']' but found end of input
            ['a',]                   | 5  | expected a value but found ']'
            ['a' 'b']                | 5  | expected ',' or ']' but found '''
            {'a': 1                  | 7  | expected ',' or '}'
            {'a' 1}                  | 5  | expected ':' after a dictionary key
            (1, 2                    | 5  | expected ',' or ')'
            (1)                      | 2  | expected ',' after the only member of a tuple
            []                       | 0  | cannot be inferred
            {}                       | 0  | cannot be inferred
            @r (1,)                  | 0  | expected a definite GVariant type after '@'
            @as 'x'                  | 4  | a string cannot be a value of type 'as'
            @i true                  | 3  | a boolean cannot be a value of type 'i'
            uint32 -1                | 7  | out of range for type 'u'
            3000000000               | 0  | out of range for type 'i'
            byte 256                 | 5  | out of range for type 'y'
            int32 1.5                | 6  | a floating-point number cannot be a value of type 'i'
            08                       | 0  | invalid number '08'
            1.5e                     | 0  | invalid number '1.5e'
            1e400                    | 0  | too big
            0x                       | 0  | invalid number '0x'
            uint33 5                 | 0  | unknown keyword 'uint33'
            nothing                  | 0  | the type of 'nothing' cannot be inferred
            [nothing, @mi 1]         | 1  | the type of 'nothing' cannot be inferred
            @ms 5                    | 4  | an integer cannot be a value of type 's'
            @s just 'x'              | 3  | a maybe value cannot be a value of type 's'
            @{sv} {'a': <1>}         | 10 | expected ',' after the key of a dict entry
            {<'a'>: 1}               | 1  | a dictionary key must be a basic value
            [({<1>, 2},), ({<1>, 2},)] | 3 | a dictionary key must be a basic value
            {'a', 1, 2}              | 7  | expected '}' after the value of a dict entry
            [@mi 1, 'x']             | 8  | a string cannot be a value of type 'i'
            objectpath 'nope'        | 11 | not a valid object path
            {'a': 1, 'a': 2}         | 9  | duplicate dictionary key 'a'
            <1                       | 2  | expected '>'
            b'\\x41'                 | 2  | unsupported escape '\\x' in a bytestring
            ""                       | 0  | expected a value but found end of input
            ]                        | 0  | expected a value but found ']'
            """)
    void malformedInputIsRejectedWithPositionAndExpectation(String text, int position, String message) {
        GVariantParseException e = assertThrows(GVariantParseException.class, () -> GVariantText.parse(text));
        assertEquals(position, e.position(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains("position " + position), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "it's", "say \"hi\"", "both ' and \"", "back\\slash", "ends with \\",
            "\\n is not a newline", "line1\nline2\r\n", "tab\tbell\u0007vt\u000bff\f", "\u0001\u001f\u007f\u0085",
            "é😀 中文 עברית", "zero\u200bwidth", "sep\u2028\u2029", "'\\''", "\"\\\""})
    void formatStringRoundTrips(String value) {
        String formatted = GVariantText.formatString(value);
        assertEquals(value, GVariantText.parse(formatted));
        assertTrue(formatted.chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0x2028),
                "formatted text stays on one line: " + formatted);
    }

    @Test
    void formatStringQuotesLikeGlib() {
        assertEquals("'plain'", GVariantText.formatString("plain"));
        assertEquals("\"it's\"", GVariantText.formatString("it's"));
        assertEquals("\"both'\\\"\"", GVariantText.formatString("both'\""));
        assertEquals("'a\\\\b\\n\\u0001é'", GVariantText.formatString("a\\b\n\u0001é"));
        assertEquals("'\\U000e0001'", GVariantText.formatString(new String(Character.toChars(0xE0001))));
    }

    @Test
    void formatStringRoundTripsRandomStrings() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(20); n > 0; n--) {
                int cp = random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(0x30000);
                if (cp != 0 && Character.getType(cp) != Character.SURROGATE) {
                    value.appendCodePoint(cp);
                }
            }
            assertEquals(value.toString(), GVariantText.parse(GVariantText.formatString(value.toString())));
        }
    }

    @Test
    void formatStringRejectsWhatGvariantCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> GVariantText.formatString("nul\0"));
        assertThrows(IllegalArgumentException.class, () -> GVariantText.formatString("lone\ud800"));
    }

    @Test
    void formatStringArrayAndBoolean() {
        assertEquals("@as []", GVariantText.formatStringArray(List.of()));
        assertEquals("['a', \"it's\"]", GVariantText.formatStringArray(List.of("a", "it's")));
        assertEquals(List.of("a", "it's"), GVariantText.parse(GVariantText.formatStringArray(List.of("a", "it's"))));
        assertEquals(List.of(), GVariantText.parse(GVariantText.formatStringArray(List.of())));
        assertEquals("true", GVariantText.formatBoolean(true));
        assertEquals(false, GVariantText.parse(GVariantText.formatBoolean(false)));
    }
}
