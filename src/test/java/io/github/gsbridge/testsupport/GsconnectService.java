package io.github.gsbridge.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real GSConnect service (Debian's gnome-shell-extension-gsconnect: 54, or 62 from the {@link
 * TrixieTree}), headless: a Gtk3 program, so it runs under its own Xvfb, inside a network namespace,
 * on a {@link GsconnectHome}'s session bus and dconf database. Without a default route GLib thinks
 * there is no network, hence GIO_USE_NETWORK_MONITOR=base. GSConnect 62 reaches the host's Xvfb
 * through its abstract socket (per network namespace, not per root) and the host's bus and dconf
 * through the temporary folder the tree shares with the host.
 */
public final class GsconnectService implements AutoCloseable {
    public static final String DAEMON_JS = GsconnectVersion.DAEMON_JS;
    public static final String BUS_NAME = "org.gnome.Shell.Extensions.GSConnect";

    private final Path dir;
    private final NamespacePair ns;
    private final String namespace;
    private final GsconnectHome home;
    private final GsconnectVersion version;
    private final int display;
    private ManagedProcess xvfb;
    private ManagedProcess service;
    private int runs;

    private GsconnectService(Path dir, NamespacePair ns, String namespace, GsconnectHome home,
                             GsconnectVersion version) {
        this.dir = dir;
        this.version = version;
        this.ns = ns;
        this.namespace = namespace;
        this.home = home;
        this.display = freeDisplay();
    }

    public static void requireInstalled() {
        GsconnectVersion.V54.require();
    }

    /** Starts Xvfb and GSConnect 54; returns once GSConnect owns its bus name. */
    public static GsconnectService start(Path dir, NamespacePair ns, String namespace, GsconnectHome home)
            throws Exception {
        return start(dir, ns, namespace, home, GsconnectVersion.V54);
    }

    /** Starts Xvfb and {@code version} of the service; returns once GSConnect owns its bus name. */
    public static GsconnectService start(Path dir, NamespacePair ns, String namespace, GsconnectHome home,
                                         GsconnectVersion version) throws Exception {
        version.require();
        GsconnectService gsconnect = new GsconnectService(dir, ns, namespace, home, version);
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(ns.execPrefix(namespace));
        command.addAll(List.of("Xvfb", ":" + gsconnect.display, "-nolisten", "tcp"));
        gsconnect.xvfb = ManagedProcess.start("xvfb", command, gsconnect.environment(), dir, dir.resolve("xvfb.log"));
        gsconnect.startService();
        return gsconnect;
    }

    /** An X display number no X server uses now. */
    static int freeDisplay() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(100, 900);
            if (!Files.exists(Path.of("/tmp/.X" + candidate + "-lock"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free X display number");
    }

    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(home.environment());
        env.put("PATH", "/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("DISPLAY", ":" + display);
        env.put("GIO_USE_NETWORK_MONITOR", "base");
        env.put("G_MESSAGES_DEBUG", "all");
        return env;
    }

    /** (Re)starts the service after {@link #stopService()}; returns once it owns its bus name. */
    public void startService() throws Exception {
        List<String> command = version.daemonCommand(namespace);
        runs++;
        service = ManagedProcess.start("gsconnect", command, environment(), dir, dir.resolve("gsconnect-" + runs + ".log"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ownsBusName()) {
            if (System.nanoTime() > deadline || !service.isAlive()) {
                throw new AssertionError("GSConnect did not take " + BUS_NAME + "\n" + service.tail(40));
            }
            Thread.sleep(100);
        }
    }

    /** Stops the service (as disabling the extension does) and waits until it left the bus. */
    public void stopService() throws Exception {
        service.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ownsBusName()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("GSConnect still owns " + BUS_NAME);
            }
            Thread.sleep(50);
        }
    }

    public boolean ownsBusName() {
        ManagedProcess.Result result = ManagedProcess.run(List.of("gdbus", "call", "--session", "--dest",
                "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus", "--method",
                "org.freedesktop.DBus.NameHasOwner", BUS_NAME), home.environment(), Duration.ofSeconds(10));
        return result.stdout().contains("true");
    }

    /** GSConnect's own command line ({@code --ping -d ID}, {@code -l}, ...), run like the service. */
    public ManagedProcess.Result cli(String... args) {
        List<String> command = version.daemonCommand(namespace);
        command.addAll(List.of(args));
        return ManagedProcess.run(command, environment(), Duration.ofSeconds(20));
    }

    /** Its {@code refresh} action, as {@code gapplication action} runs it: it announces itself. */
    public void refresh() {
        ManagedProcess.run(List.of("gdbus", "call", "--session", "--dest", BUS_NAME, "--object-path",
                "/org/gnome/Shell/Extensions/GSConnect", "--method", "org.gtk.Actions.Activate", "refresh", "[]", "{}"),
                home.environment(), Duration.ofSeconds(10)).assertOk("GSConnect refresh");
    }

    /** One property of its device object for {@code deviceId}, as gdbus prints it; empty if there is none. */
    public String deviceProperty(String deviceId, String property) {
        ManagedProcess.Result result = ManagedProcess.run(List.of("gdbus", "call", "--session", "--dest", BUS_NAME,
                "--object-path", "/org/gnome/Shell/Extensions/GSConnect/Device/" + deviceId.replaceAll("\\W+", "_"),
                "--method", "org.freedesktop.DBus.Properties.Get", "org.gnome.Shell.Extensions.GSConnect.Device",
                property), home.environment(), Duration.ofSeconds(10));
        return result.ok() ? result.stdout().strip() : "";
    }


    public ManagedProcess log() {
        return service;
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
        if (xvfb != null) {
            xvfb.close();
        }
    }
}
