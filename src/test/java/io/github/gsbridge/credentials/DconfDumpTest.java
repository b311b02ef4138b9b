package io.github.gsbridge.credentials;

import org.junit.jupiter.api.Test;

import io.github.gsbridge.testsupport.LogCapture;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DconfDumpTest {
    private static final String DEVICE_A = "device/_409668b6_0418_40f4_9bf0_709bc753e8c3_";

    @Test
    void parsesGsconnectDump() {
        Map<String, Map<String, Object>> dump = DconfDump.parse(TestResources.read("gsconnect-dump.txt"));

        assertEquals(List.of("/", DEVICE_A, "device/abcdef0123456789abcdef0123456789",
                        "device/abcdef0123456789abcdef0123456789/plugin/share",
                        "device/unpaired0123456789abcdef01234567", "preferences"),
                List.copyOf(dump.keySet()));
        Map<String, Object> root = dump.get("/");
        assertEquals(true, root.get("debug"));
        assertEquals("vm", root.get("name"));
        assertEquals(List.of("_409668b6_0418_40f4_9bf0_709bc753e8c3_", "abcdef0123456789abcdef0123456789",
                "unpaired0123456789abcdef01234567"), root.get("devices"));
        Map<String, Object> device = dump.get(DEVICE_A);
        assertEquals(TestResources.read("peer-a.pem"), device.get("certificate-pem"));
        assertEquals("lan://10.231.0.1:1716", device.get("last-connection"));
        assertEquals(List.of("kdeconnect.battery", "kdeconnect.ping", "kdeconnect.share.request",
                "kdeconnect.share.request.update"), device.get("outgoing-capabilities"));
        assertEquals("Bob's phone", dump.get("device/abcdef0123456789abcdef0123456789").get("name"));
        assertEquals(List.of(800L, 600L), dump.get("preferences").get("window-size"));
    }

    @Test
    void emptyDumpHasNoSections() {
        assertEquals(Map.of(), DconfDump.parse(""));
    }

    @Test
    void commentAndIniSpecialCharactersInsideValuesAreKept() {
        Map<String, Object> keys = DconfDump.parse("""
                [/]
                semicolon='a;b ; c'
                hash='#not a comment # really'
                equals='k=v=w'
                colon='lan://1.2.3.4:1716'
                bracket='[x]'
                starts-with-bracket=['[a]', '[b]']
                trailing-backslash='ends with \\\\'
                spaces =   'padded'   \s
                """).get("/");
        assertEquals("a;b ; c", keys.get("semicolon"));
        assertEquals("#not a comment # really", keys.get("hash"));
        assertEquals("k=v=w", keys.get("equals"));
        assertEquals("lan://1.2.3.4:1716", keys.get("colon"));
        assertEquals("[x]", keys.get("bracket"));
        assertEquals(List.of("[a]", "[b]"), keys.get("starts-with-bracket"));
        assertEquals("ends with \\", keys.get("trailing-backslash"));
        assertEquals("padded", keys.get("spaces"));
    }

    @Test
    void backslashEscapesReachGvariantUntouched() {
        // Were ini4j to unescape, "\\n" would arrive as "\n" and become a newline.
        assertEquals("a\\n", DconfDump.parse("[/]\nk='a\\\\n'\n").get("/").get("k"));
        assertEquals("x\ty", DconfDump.parse("[/]\nk='x\\ty'\n").get("/").get("k"));
    }

    @Test
    void rawNonAsciiAndUnicodeLineSeparatorStayInTheValue() {
        assertEquals("é\u2028😀", DconfDump.parse("[/]\nk='é\u2028😀'\n").get("/").get("k"));
    }

    @Test
    void wholeLineCommentsAreSkippedLikeDconfLoadDoes() {
        assertEquals(Map.of("k", 1L), DconfDump.parse("# c\n[/]\n# another\nk=1\n").get("/"));
    }

    @Test
    void inlineCommentIsPartOfTheValueAndFails() throws Exception {
        assertSkipped("[device/x]\nname='n' # comment\nkept=1\n", "device/x", "[device/x] name",
                "expected end of input");
    }

    @Test
    void lineEndingInBackslashIsNotJoinedWithTheNext() throws Exception {
        // Joined, these two lines would be the valid value ['x', 'y'].
        DconfFormatException e = assertThrows(DconfFormatException.class,
                () -> DconfDump.parse("[/]\nk=['x', \\\n'y']\n"));
        assertTrue(e.getMessage().contains("line: 3") && e.getMessage().contains("'y']"), e.getMessage());
    }

    @Test
    void aValueThatCannotBeReadIsLeftOutWithOneLineNamingIt() throws Exception {
        assertSkipped("[/]\nname='ok'\n\n[device/abc]\npaired=ture\nkept=1\n", "device/abc",
                "[device/abc] paired", "unknown keyword 'ture'");
    }

    @Test
    void maybeValuesAnywhereAreRead() {
        Map<String, Map<String, Object>> dump = DconfDump.parse(
                "[/]\nname='vm'\nodd=@ms nothing\n\n[device/abc/plugin/share]\nreceive-directory=@ms '/tmp'\n");
        assertEquals(Optional.empty(), dump.get("/").get("odd"));
        assertEquals(Optional.of("/tmp"), dump.get("device/abc/plugin/share").get("receive-directory"));
    }

    /** {@code dump} parses without {@code section}'s key named in {@code logged}, which one warning names. */
    private static void assertSkipped(String dump, String section, String... logged) throws Exception {
        try (LogCapture log = LogCapture.start()) {
            Map<String, Object> keys = DconfDump.parse(dump).get(section);
            assertEquals(Map.of("kept", 1L), keys);
            List<String> lines = log.matching(logged);
            assertEquals(1, lines.size(), "one warning naming the key: " + lines);
            assertTrue(lines.get(0).contains("[WARN]"), lines.get(0));
        }
    }

    @Test
    void structuralErrorsAreRejected() {
        assertThrows(DconfFormatException.class, () -> DconfDump.parse("k=1\n"), "key outside a section");
        assertThrows(DconfFormatException.class, () -> DconfDump.parse("[/]\njust-a-key\n"), "key without value");
        assertThrows(DconfFormatException.class, () -> DconfDump.parse("[/\nk=1\n"), "unclosed section");
        assertThrows(DconfFormatException.class, () -> DconfDump.parse("[]\nk=1\n"), "unnamed section");
        assertThrows(DconfFormatException.class, () -> DconfDump.parse("[/]\n=1\n"), "empty key");
        DconfFormatException section = assertThrows(DconfFormatException.class,
                () -> DconfDump.parse("[a]\nk=1\n[a]\nj=2\n"));
        assertTrue(section.getMessage().contains("[a] appears twice"), section.getMessage());
        DconfFormatException key = assertThrows(DconfFormatException.class,
                () -> DconfDump.parse("[a]\nk=1\nk=2\n"));
        assertTrue(key.getMessage().contains("[a] k appears twice"), key.getMessage());
    }

    @Test
    void includeLinesAreNotFollowed() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            assertEquals(Map.of(), DconfDump.parse("[/]\n<file:///etc/passwd>\n").get("/"));
            assertEquals(1, log.matching("ignoring [/] <file").size(), "read as an ordinary, broken key");
        }
    }
}
