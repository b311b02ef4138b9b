package io.github.gsbridge.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian 13's kdeconnectd 25.04 (protocol 8, with its own mDNS) from the Debian 13 root filesystem
 * ({@value #TREE_ENV}, default {@value #DEFAULT_TREE}), headless in a network namespace on a
 * private session bus, with a fresh identity and nothing trusted: the minimum the discovery tests
 * need. The host's temporary folder is bind-mounted at the same path inside the tree, so the
 * state folder under the test's temporary directory has one name on both sides.
 */
public final class Kdeconnectd2504 implements AutoCloseable {
    public static final String TREE_ENV = "GSBRIDGE_TRIXIE";
    public static final String DEFAULT_TREE = "/var/cache/gsbridge/trixie";
    public static final Pattern LOG_STARTED = Pattern.compile("kdeconnect\\.core: Daemon started");
    private static final Pattern LOG_MY_ID = Pattern.compile("kdeconnect\\.core: My id: \"([^\"]+)\"");
    private static final Duration START = Duration.ofSeconds(20);

    private final PrivateBus bus;
    private final ManagedProcess daemon;
    private final String deviceId;

    private Kdeconnectd2504(PrivateBus bus, ManagedProcess daemon, String deviceId) {
        this.bus = bus;
        this.daemon = daemon;
        this.deviceId = deviceId;
    }

    public static Path tree() {
        return Path.of(System.getenv().getOrDefault(TREE_ENV, DEFAULT_TREE));
    }

    /** Fails (CI) or skips unless the tree is complete. */
    public static void require() {
        RealComponents.requireRoot();
        Path tree = tree();
        RealComponents.require(Files.exists(tree.resolve(".trixie-peers.done"))
                && Files.isExecutable(tree.resolve("usr/bin/kdeconnectd")), "kdeconnectd 25.04 in the Debian 13 "
                + "root filesystem " + tree + " (made by ../shared/peers/trixie-peers.sh)");
    }

    /** Runs a command chrooted into the tree in {@code ns}; mounts vanish with it ({@code ip netns exec} unshares them). */
    private static List<String> prefix(String ns) {
        String tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize().toString();
        List<String> command = new ArrayList<>(NamespacePair.execPrefixFor(ns));
        command.addAll(List.of("/bin/sh", "-c", "R=$1; T=$2; shift 2;"
                + " mount -t proc proc \"$R/proc\" && mount --rbind /dev \"$R/dev\" && mount -t sysfs sysfs \"$R/sys\""
                + " && mkdir -p \"$R$T\" && mount --rbind \"$T\" \"$R$T\" || exit 125; exec /usr/sbin/chroot \"$R\" \"$@\"",
                "sh", tree().toAbsolutePath().toString(), tmp));
        return command;
    }

    /** Starts it in {@code ns} announcing {@code name}, its state in {@code dir} (under the temporary folder). */
    public static Kdeconnectd2504 start(Path dir, String ns, String name) throws IOException {
        require();
        Path state = dir.toAbsolutePath();
        Files.createDirectories(state.resolve("home/.config/kdeconnect"));
        Path runtime = Files.createDirectories(state.resolve("run"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(state.resolve("home/.config/kdeconnect/config"), "[General]\nname=" + name + "\n");
        PrivateBus bus;
        try {
            // The tree has its own dbus-daemon at the host's path; the socket is in the shared temporary folder.
            bus = PrivateBus.start(state, prefix(ns));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        try {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", "/usr/bin:/bin");
            env.put("LANG", "C.UTF-8");
            env.put("HOME", state.resolve("home").toString());
            env.put("XDG_CONFIG_HOME", state.resolve("home/.config").toString());
            env.put("XDG_RUNTIME_DIR", runtime.toString());
            env.put("DBUS_SESSION_BUS_ADDRESS", bus.address());
            env.put("QT_QPA_PLATFORM", "offscreen");
            env.put("QT_LOGGING_RULES", "kdeconnect.*=true");
            env.put("QT_MESSAGE_PATTERN", "%{time hh:mm:ss.zzz} %{if-category}%{category}: %{endif}%{message}");
            List<String> command = new ArrayList<>(prefix(ns));
            command.add("/usr/bin/kdeconnectd");
            ManagedProcess daemon = ManagedProcess.start("kdeconnectd25@" + ns, command, env, null,
                    state.resolve("kdeconnectd.log"));
            daemon.waitForLine(LOG_STARTED, START);
            Matcher id = LOG_MY_ID.matcher(daemon.waitForLine(LOG_MY_ID, START));
            if (!id.find()) {
                throw new AssertionError("no id in kdeconnectd's log");
            }
            return new Kdeconnectd2504(bus, daemon, id.group(1));
        } catch (IOException | RuntimeException | Error e) {
            bus.close();
            throw e;
        }
    }

    public String deviceId() {
        return deviceId;
    }

    public ManagedProcess log() {
        return daemon;
    }

    @Override
    public void close() {
        daemon.close();
        bus.close();
    }
}
