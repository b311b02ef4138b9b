package io.github.gsbridge.credentials;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link Dconf} checks before it runs anything. */
class DconfTest {
    @Test
    void missingExecutableSaysWhatToInstall() {
        DconfException byPath = assertThrows(DconfException.class,
                () -> new Dconf("/nonexistent/dconf", Map.of()).dump("/x/"));
        assertTrue(byPath.getMessage().contains("dconf not found: install dconf-cli"), byPath.getMessage());
        assertTrue(byPath.getMessage().contains("/nonexistent/dconf"), byPath.getMessage());

        DconfException byName = assertThrows(DconfException.class,
                () -> new Dconf("gsbridge-no-such-dconf", Map.of()).read("/x/k"));
        assertTrue(byName.getMessage().contains("dconf not found: install dconf-cli"), byName.getMessage());
        assertTrue(byName.getMessage().contains("on PATH"), byName.getMessage());
    }

    /** A dump whose structure is broken is a failure to read GSConnect's settings, which callers handle. */
    @Test
    void aBrokenDumpIsAnIoFailureOfThePairingStore(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("dconf");
        Files.writeString(fake, "#!/bin/sh\nprintf '[/]\\nk=1\\n[/]\\nk=2\\n'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        GsconnectPairingStore store = new GsconnectPairingStore(new Dconf(fake.toString(), Map.of()));
        IOException e = assertThrows(IOException.class, store::load);
        assertTrue(e.getMessage().contains("section [/] appears twice"), e.getMessage());
    }

    @Test
    void pathsAreCheckedSoNoneCanPassAsAnOption() {
        Dconf dconf = new Dconf("/nonexistent/dconf", Map.of());
        assertThrows(IllegalArgumentException.class, () -> dconf.reset("-f"));
        assertThrows(IllegalArgumentException.class, () -> dconf.read("relative/key"));
        assertThrows(IllegalArgumentException.class, () -> dconf.read("/a/dir/"));
        assertThrows(IllegalArgumentException.class, () -> dconf.write("/a/dir/", "true"));
        assertThrows(IllegalArgumentException.class, () -> dconf.dump("/a/key"));
        assertThrows(IllegalArgumentException.class, () -> dconf.load("/a//b/", ""));
    }
}
