package io.github.gsbridge.testsupport;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** The real kdeconnectd releases the interop tests run: Debian 12's (protocol 7) and Debian 13's (protocol 8). */
public enum KdeConnectVersion {
    /** Debian 12, on the host. */
    V22_12("/usr/lib/x86_64-linux-gnu/libexec/kdeconnectd", 7),
    /** Debian 13, from the {@link TrixieTree}. */
    V25_04("/usr/bin/kdeconnectd", 8);

    private final String daemon;
    private final int protocol;

    KdeConnectVersion(String daemon, int protocol) {
        this.daemon = daemon;
        this.protocol = protocol;
    }

    /** The daemon's path (inside the tree for 25.04). */
    public String daemon() {
        return daemon;
    }

    public int protocolVersion() {
        return protocol;
    }

    /** Fails (CI) or skips unless this release can run here. */
    public void require() {
        RealComponents.requireRoot();
        if (this == V22_12) {
            RealComponents.requireExecutable(daemon);
            RealComponents.requireExecutable(KdeConnectPeer.KDECONNECT_CLI);
        } else {
            TrixieTree.require(daemon);
            TrixieTree.require(KdeConnectPeer.KDECONNECT_CLI);
        }
    }

    /** Prepended to its programs' command lines to run them in namespace {@code ns}. */
    public List<String> execPrefix(String ns) {
        return this == V22_12 ? NamespacePair.execPrefixFor(ns) : TrixieTree.execPrefix(ns);
    }

    /** A device id of the form this release makes for itself. */
    public String newDeviceId() {
        return this == V22_12 ? KdeConnectPeer.randomDeviceId() : UUID.randomUUID().toString().replace("-", "");
    }

    /** A certificate and key like the ones this release makes (RSA 2048 before 24.08, EC P-256 after). */
    public KdeConnectPeer.Identity newIdentity(Path dir) {
        return newIdentity(dir, newDeviceId());
    }

    /** As {@link #newIdentity(Path)} for a given id (an impostor's, say). */
    public KdeConnectPeer.Identity newIdentity(Path dir, String deviceId) {
        return this == V22_12 ? KdeConnectPeer.generateIdentity(dir, deviceId)
                : KdeConnectPeer.generateIdentity(dir, deviceId, "ec", "KDE Connect");
    }

    @Override
    public String toString() {
        return "kdeconnectd " + name().substring(1).replace('_', '.');
    }
}
