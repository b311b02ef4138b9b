package io.github.gsbridge.credentials;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which GSConnect the Shell would load, and so which protocol gsbridge speaks with its identity. */
class GsconnectInstallationTest {
    @TempDir
    Path dir;

    private Map<String, String> env() {
        return Map.of("HOME", dir.resolve("home").toString(), "XDG_DATA_DIRS",
                dir.resolve("system").toString());
    }

    private void install(String where, String metadata) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(where).resolve("gnome-shell/extensions")
                .resolve(GsconnectInstallation.UUID));
        Files.writeString(folder.resolve("metadata.json"), metadata);
    }

    @Test
    void debian12sGsconnect54SpeaksProtocol7() throws Exception {
        install("system", "{\"uuid\": \"gsconnect@andyholmes.github.io\", \"version\": 54}");
        assertEquals(OptionalInt.of(54), GsconnectInstallation.version(env()));
        assertEquals(OptionalInt.of(7), GsconnectInstallation.protocolVersion(env()));
    }

    @Test
    void theUsersOwnCopyComesFirst() throws Exception {
        install("system", "{\"version\": 54}");
        install("home/.local/share", "{\"version\": 62}");
        assertEquals(OptionalInt.of(8), GsconnectInstallation.protocolVersion(env()));
    }

    @Test
    void noOrUnreadableGsconnectSaysNothing() throws Exception {
        assertEquals(OptionalInt.empty(), GsconnectInstallation.protocolVersion(env()));
        install("system", "{not json");
        assertEquals(OptionalInt.empty(), GsconnectInstallation.version(env()));
    }
}
