package io.github.gsbridge.plugin.clipboard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without TEXT, gsbridge clipboard reads a pipe and prints on a terminal: how it tells them apart. */
class StandardInputTest {
    @TempDir
    Path dir;

    /** A stand-in for /proc/self/fd/0 pointing where the real one would. */
    private Path fd(String target) throws Exception {
        Path link = dir.resolve("fd-" + Math.abs(target.hashCode()));
        Files.createSymbolicLink(link, Path.of(target));
        return link;
    }

    @Test
    void terminalsAreTheTtyDevices() throws Exception {
        assertTrue(StandardInput.isTerminal(fd("/dev/pts/3")));
        assertTrue(StandardInput.isTerminal(fd("/dev/tty1")));
        assertFalse(StandardInput.isTerminal(fd("pipe:[123456]")), "wl-paste --watch, or echo ... |");
        assertFalse(StandardInput.isTerminal(fd("/dev/null")), "a service or cron job");
        assertFalse(StandardInput.isTerminal(fd("/home/me/notes.txt")), "< file");
        assertFalse(StandardInput.isTerminal(dir.resolve("none")), "no such descriptor");
    }
}
