package io.github.gsbridge.plugin.share;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeFileNameTest {
    @Test
    void keepsOnlyTheBaseName() {
        assertEquals("x", SafeFileName.of("../../x"));
        assertEquals("passwd", SafeFileName.of("/etc/passwd"));
        assertEquals("evil.bat", SafeFileName.of("..\\..\\Windows\\evil.bat"));
        assertEquals("photo.jpg", SafeFileName.of("photo.jpg"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "/", "a/", "../", " ", "\u202E", "dir/.."})
    void nothingLeftBecomesTheFallback(String name) {
        assertEquals(SafeFileName.FALLBACK, SafeFileName.of(name));
    }

    @Test
    void nullBecomesTheFallback() {
        assertEquals(SafeFileName.FALLBACK, SafeFileName.of(null));
    }

    @Test
    void aReceivedNameNeverMakesAHiddenFile() {
        // With the download folder at $HOME, a received .bash_login would run at the next login.
        assertEquals("_bash_login", SafeFileName.of(".bash_login"));
        assertEquals("_bashrc", SafeFileName.of("../.bashrc"));
        assertEquals("_bashrc", SafeFileName.of(" .bashrc"));
        assertEquals("_bashrc", SafeFileName.of("\u202E.bashrc"));
        assertEquals("_.profile", SafeFileName.of("..profile"));
        assertEquals("_txt", SafeFileName.of(".txt"));
        assertEquals("_..", SafeFileName.of("..."));
        assertEquals("photo.jpg", SafeFileName.of("photo.jpg"));
    }

    @Test
    void controlCharactersAreReplaced() {
        assertEquals("a_b", SafeFileName.of("a\0b"));
        assertEquals("line1_line2.txt", SafeFileName.of("line1\nline2.txt"));
        assertEquals("tab_cr_del_c1_", SafeFileName.of("tab\tcr\rdel\u007Fc1\u0085"));
        assertEquals("lone_.txt", SafeFileName.of("lone\uD800.txt"));
    }

    @Test
    void directionControlsAreRemoved() {
        // Shown right to left, "\u202Egnp.exe" reads "exe.png"; without the override it is what it is.
        assertEquals("gnp.exe", SafeFileName.of("\u202Egnp.exe"));
        assertEquals("abc.txt", SafeFileName.of("a\u202Ab\u2066\u2069c\u200F.txt"));
    }

    @Test
    void longNamesAreCutKeepingTheExtension() {
        String name = "n".repeat(300) + ".tar.gz";
        String safe = SafeFileName.of(name);
        assertEquals(SafeFileName.MAX_BYTES, bytes(safe));
        assertTrue(safe.endsWith("n.gz"), safe);
    }

    @Test
    void cutsNeverSplitACharacter() {
        for (int pad = 0; pad < 4; pad++) {
            String name = "a".repeat(pad) + "\uD83D\uDE00".repeat(100) + "é".repeat(10) + ".jpeg";
            String safe = SafeFileName.of(name);
            assertTrue(bytes(safe) <= SafeFileName.MAX_BYTES, safe);
            assertTrue(safe.endsWith(".jpeg"));
            assertEquals(safe, new String(safe.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            assertFalse(Character.isHighSurrogate(safe.charAt(safe.length() - 6)), "no half emoji before the dot");
        }
    }

    @Test
    void anOverlongExtensionIsPartOfTheName() {
        String name = "x." + "e".repeat(300);
        String safe = SafeFileName.of(name);
        assertEquals(SafeFileName.MAX_BYTES, bytes(safe));
        assertTrue(safe.startsWith("x.eee"), safe);
    }

    @Test
    void numbersGoBeforeTheExtension() {
        assertEquals("photo (1).jpg", SafeFileName.numbered("photo.jpg", 1));
        assertEquals("README (12)", SafeFileName.numbered("README", 12));
        assertEquals(".bashrc (2)", SafeFileName.numbered(".bashrc", 2));
        String numbered = SafeFileName.numbered(SafeFileName.of("m".repeat(400) + ".mp4"), 9999);
        assertEquals(SafeFileName.MAX_BYTES, bytes(numbered));
        assertTrue(numbered.endsWith("m (9999).mp4"), numbered);
    }

    @Test
    void resultIsAlwaysOnePathElement() {
        for (String hostile : new String[] {"../../x", "/etc/passwd", "..", "a\0b", "\u202Egnp.exe", "a/b/../..",
                "\\\\server\\share\\x", "x".repeat(1000), "\n", "..\u202E"}) {
            String safe = SafeFileName.of(hostile);
            Path resolved = Path.of("/downloads").resolve(safe).normalize();
            assertEquals(Path.of("/downloads"), resolved.getParent(), hostile);
            assertEquals(safe, resolved.getFileName().toString(), hostile);
        }
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
