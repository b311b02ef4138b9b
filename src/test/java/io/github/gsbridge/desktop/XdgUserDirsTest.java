package io.github.gsbridge.desktop;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class XdgUserDirsTest {
    @Test
    void userDirsValuesInTheirShellForms() {
        Path home = Path.of("/home/u");
        assertEquals(Optional.of(Path.of("/home/u/Téléchargements")), XdgUserDirs.parseUserDirs(
                List.of("# written by xdg-user-dirs-update", "XDG_DESKTOP_DIR=\"$HOME/Desktop\"",
                        "XDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\""), home));
        assertEquals(Optional.of(Path.of("/data/dl \"x\" $y")), XdgUserDirs.parseUserDirs(
                List.of("XDG_DOWNLOAD_DIR=\"/data/dl \\\"x\\\" \\$y\""), home));
        assertEquals(Optional.of(Path.of("/home/u/in")), XdgUserDirs.parseUserDirs(
                List.of("  XDG_DOWNLOAD_DIR=${HOME}/in  "), home));
        assertEquals(Optional.of(home), XdgUserDirs.parseUserDirs(List.of("XDG_DOWNLOAD_DIR=\"$HOME\""), home));
        assertEquals(Optional.of(Path.of("/second")), XdgUserDirs.parseUserDirs(
                List.of("XDG_DOWNLOAD_DIR=\"/first\"", "XDG_DOWNLOAD_DIR=\"/second\""), home), "last one wins");
    }

    @Test
    void unusableOrMissingEntriesGiveNothing() {
        Path home = Path.of("/home/u");
        assertEquals(Optional.empty(), XdgUserDirs.parseUserDirs(List.of(
                "XDG_DOWNLOAD_DIR=\"relative/dir\"", "#XDG_DOWNLOAD_DIR=\"/commented\"",
                "XDG_DOWNLOAD_DIRX=\"/other\""), home));
        assertEquals(Optional.empty(), XdgUserDirs.parseUserDirs(List.of(), home));
    }
}
