package io.github.gsbridge.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The real GSConnect releases the tests run: Debian 12's 54 (protocol 7) and Debian 13's 62 (protocol 8). */
public enum GsconnectVersion {
    /** Debian 12, on the host. */
    V54(7, 54),
    /** Debian 13, from the {@link TrixieTree}: an ES module, so {@code gjs -m}. */
    V62(8, 62);

    public static final String DAEMON_JS =
            "/usr/share/gnome-shell/extensions/gsconnect@andyholmes.github.io/service/daemon.js";

    private final int protocol;
    private final int release;

    GsconnectVersion(int protocol, int release) {
        this.protocol = protocol;
        this.release = release;
    }

    /** The extension's version, as its metadata.json gives it. */
    public int release() {
        return release;
    }

    public int protocolVersion() {
        return protocol;
    }

    /** Fails (CI) or skips unless this release can run here (Xvfb always comes from the host). */
    public void require() {
        RealComponents.requireOnPath("Xvfb");
        if (this == V54) {
            RealComponents.requireOnPath("gjs");
            RealComponents.require(Files.exists(Path.of(DAEMON_JS)), DAEMON_JS + " (gnome-shell-extension-gsconnect)");
        } else {
            RealComponents.requireRoot();
            TrixieTree.require("/usr/bin/gjs");
            TrixieTree.require(DAEMON_JS);
        }
    }

    /** {@code daemon.js} run in namespace {@code ns}: the service itself, or its command line with arguments. */
    public List<String> daemonCommand(String ns) {
        List<String> command = new ArrayList<>(this == V54 ? NamespacePair.execPrefixFor(ns) : TrixieTree.execPrefix(ns));
        command.add("gjs");
        if (this == V62) {
            command.add("-m");
        }
        command.add(DAEMON_JS);
        return command;
    }

    /** A device id as this release makes it: a UUID with dashes (54), 32 hex characters (62). */
    public String newDeviceId() {
        String uuid = UUID.randomUUID().toString();
        return this == V54 ? uuid : uuid.replace("-", "");
    }

    /** {@code openssl req -newkey} arguments for the key this release makes: RSA 4096 (54), EC P-256 (62). */
    public List<String> newKey() {
        return this == V54 ? List.of("-newkey", "rsa:4096") : List.of("-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1");
    }

    @Override
    public String toString() {
        return "GSConnect " + name().substring(1);
    }
}
