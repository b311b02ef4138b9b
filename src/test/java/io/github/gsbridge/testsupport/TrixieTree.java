package io.github.gsbridge.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Debian 13 root filesystem holding the protocol-8 peers (kdeconnectd 25.04, GSConnect 62), built
 * by {@code ../shared/peers/trixie-peers.sh} (see {@code .ci/run}). Its programs run chrooted into it,
 * inside a test's network namespace.
 *
 * <p>The tree is {@value #PROPERTY} (system property) or {@value #ENV} (environment), default
 * {@value #DEFAULT}. The host's temporary folder is bind-mounted at the same path inside, so the
 * state folders, sockets and files a test makes there have one name for both sides.
 */
public final class TrixieTree {
    public static final String PROPERTY = "gsbridge.trixie";
    public static final String ENV = "GSBRIDGE_TRIXIE";
    public static final String DEFAULT = "/var/cache/gsbridge/trixie";
    /** Written by trixie-peers.sh once the tree is complete. */
    private static final String DONE_MARK = ".trixie-peers.done";

    private TrixieTree() {}

    public static Path root() {
        String configured = System.getProperty(PROPERTY, System.getenv().getOrDefault(ENV, DEFAULT));
        return Path.of(configured).toAbsolutePath();
    }

    /** Fails (CI) or skips unless the tree is complete and holds {@code program} (a path inside it). */
    public static void require(String program) {
        Path root = root();
        RealComponents.require(Files.exists(root.resolve(DONE_MARK)),
                "the Debian 13 peer tree at " + root + " (build it with ../shared/peers/trixie-peers.sh " + root + ")");
        RealComponents.require(Files.isExecutable(root.resolve(program.substring(1))),
                program + " inside " + root);
    }

    /**
     * Prefix that runs a command inside the tree in network namespace {@code ns}. {@code ip netns exec}
     * gives the command a private mount namespace, so these mounts vanish with it.
     */
    public static List<String> execPrefix(String ns) {
        String tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize().toString();
        List<String> command = new ArrayList<>(NamespacePair.execPrefixFor(ns));
        command.addAll(List.of("/bin/sh", "-c", "R=$1; T=$2; shift 2;"
                + " mount -t proc proc \"$R/proc\" && mount --rbind /dev \"$R/dev\" && mount -t sysfs sysfs \"$R/sys\""
                + " && mkdir -p \"$R$T\" && mount --rbind \"$T\" \"$R$T\" || exit 125;"
                + " exec /usr/sbin/chroot \"$R\" \"$@\"", "sh", root().toString(), tmp));
        return command;
    }
}
