package io.github.gsbridge.plugin.share;

import io.github.gsbridge.credentials.Dconf;
import io.github.gsbridge.credentials.GsconnectPairingStore;
import io.github.gsbridge.plugin.PluginSettings;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.RealComponents;
import io.github.gsbridge.tls.LocalCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XdgDownloadDirectoriesTest {
    private static final String DEVICE = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;

    @Test
    void userDirsIsReadFromXdgConfigHomeAndTheFolderIsCreatedPrivate() throws Exception {
        Path home = tmp.resolve("home");
        Path config = tmp.resolve("config");
        Files.createDirectories(config);
        Files.writeString(config.resolve("user-dirs.dirs"), "XDG_DOWNLOAD_DIR=\"$HOME/Incoming files\"\n");
        Path dir = new XdgDownloadDirectories(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", config.toString()),
                PluginSettings.ownFile("share", config.resolve("gsbridge"))).directoryFor(DEVICE);
        assertEquals(home.resolve("Incoming files"), dir);
        assertTrue(Files.isDirectory(dir));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void withoutUserDirsItIsDownloadsInHome() throws Exception {
        Path home = tmp.resolve("home");
        Files.createDirectories(home.resolve(".config"));
        assertEquals(home.resolve("Downloads"), new XdgDownloadDirectories(Map.of("HOME", home.toString()),
                PluginSettings.ownFile("share", home.resolve(".config/gsbridge"))).directoryFor(DEVICE));
        Files.writeString(home.resolve(".config/user-dirs.dirs"), "XDG_MUSIC_DIR=\"$HOME/Music\"\n");
        assertEquals(home.resolve("Downloads"), new XdgDownloadDirectories(Map.of("HOME", home.toString()),
                PluginSettings.ownFile("share", home.resolve(".config/gsbridge"))).directoryFor(DEVICE));
    }

    @Test
    void gsconnectSettingWinsForItsDevice() throws Exception {
        RealComponents.requireOnPath("dconf");
        RealComponents.requireOnPath("dbus-daemon");
        RealComponents.requireOnPath("openssl");
        try (GsconnectHome gsconnect = GsconnectHome.create(tmp.resolve("gsc"), LocalCertificate.newDeviceId(), "me")) {
            Path home = Path.of(gsconnect.environment().get("HOME"));
            Files.writeString(home.resolve(".config/user-dirs.dirs"), "XDG_DOWNLOAD_DIR=\"$HOME/Xdg\"\n");
            Path chosen = tmp.resolve("chosen by GSConnect");
            String other = "fedcba9876543210fedcba9876543210";
            gsconnect.dconf().load("/org/gnome/shell/extensions/gsconnect/",
                    "[device/" + DEVICE + "/plugin/share]\nreceive-directory='" + chosen + "'\n\n"
                            + "[device/" + other + "/plugin/share]\nreceive-directory=''\nreceive-files=false\n");
            XdgDownloadDirectories directories = new XdgDownloadDirectories(gsconnect.environment(),
                    PluginSettings.gsconnect("share", new GsconnectPairingStore(new Dconf(
                            RealComponents.requireOnPath("dconf"), gsconnect.environment()))));
            assertEquals(chosen, directories.directoryFor(DEVICE));
            assertTrue(Files.isDirectory(chosen));
            assertEquals(home.resolve("Xdg"), directories.directoryFor(other), "an empty setting means XDG");
            assertEquals(home.resolve("Xdg"), directories.directoryFor("11111111111111111111111111111111"));
            assertTrue(directories.receivesFilesFrom(DEVICE), "unset means yes");
            assertFalse(directories.receivesFilesFrom(other), "switched off in GSConnect");
        }
    }
}
