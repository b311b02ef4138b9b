package io.github.gsbridge.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The GSConnect the GNOME Shell would load: its version from the extension's metadata.json, found
 * the way the Shell looks for extensions (the user's data folder first, then the system's).
 */
public final class GsconnectInstallation {
    static final String UUID = "gsconnect@andyholmes.github.io";
    /** GSConnect speaks protocol 8 from version 59 on; Debian 12's 54 speaks 7. */
    private static final int FIRST_PROTOCOL_8_VERSION = 59;

    private GsconnectInstallation() {}

    /** The installed GSConnect's version, if there is one. */
    public static OptionalInt version(Map<String, String> env) {
        for (Path folder : extensionFolders(env)) {
            Path metadata = folder.resolve(UUID).resolve("metadata.json");
            if (!Files.isRegularFile(metadata)) {
                continue;
            }
            try {
                JsonNode version = new ObjectMapper().readTree(metadata.toFile()).get("version");
                if (version != null && version.canConvertToInt()) {
                    return OptionalInt.of(version.asInt());
                }
            } catch (IOException e) {
                // An unreadable copy is no installation; look further.
            }
        }
        return OptionalInt.empty();
    }

    /** The protocol version the installed GSConnect speaks, if there is one. */
    public static OptionalInt protocolVersion(Map<String, String> env) {
        OptionalInt version = version(env);
        return version.isEmpty() ? OptionalInt.empty()
                : OptionalInt.of(version.getAsInt() >= FIRST_PROTOCOL_8_VERSION ? 8 : 7);
    }

    private static List<Path> extensionFolders(Map<String, String> env) {
        List<Path> folders = new ArrayList<>();
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        String dataHome = env.get("XDG_DATA_HOME");
        folders.add((dataHome == null || dataHome.isBlank() ? Path.of(home, ".local/share") : Path.of(dataHome))
                .resolve("gnome-shell/extensions"));
        String dataDirs = env.get("XDG_DATA_DIRS");
        for (String dir : (dataDirs == null || dataDirs.isBlank() ? "/usr/local/share:/usr/share" : dataDirs).split(":")) {
            if (!dir.isBlank()) {
                folders.add(Path.of(dir, "gnome-shell/extensions"));
            }
        }
        return folders;
    }
}
