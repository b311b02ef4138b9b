package io.github.gsbridge.cli;

import io.github.gsbridge.credentials.Dconf;
import io.github.gsbridge.desktop.XdgUserDirs;
import io.github.gsbridge.credentials.DconfException;
import io.github.gsbridge.credentials.GsconnectDconf;
import io.github.gsbridge.credentials.IdentityLoader;
import io.github.gsbridge.daemon.DaemonOptions;
import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.dbus.Manager1;
import io.github.gsbridge.bus.SessionBus;
import io.github.gsbridge.desktop.Notifications;
import io.github.gsbridge.handover.PortHolders;
import io.github.gsbridge.lan.LanConfig;
import io.github.gsbridge.tls.CredentialsException;
import io.github.gsbridge.tls.LocalCertificate;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code gsbridge doctor}: everything that keeps gsbridge from working for this user, each
 * with PASS or FAIL and what to do, as kdeconnect's own doctor does. INFO rows tell what cannot
 * fail (or what cannot be told without root). Works without the daemon and without a bus.
 */
final class Doctor {
    static final String GSCONNECT_BUS_NAME = "org.gnome.Shell.Extensions.GSConnect";
    private static final String GSCONNECT_UUID = "gsconnect@andyholmes.github.io";
    private static final int PORT = LanConfig.defaults().udpPort();
    private static final String PORT_RANGE = "1714-1764";

    enum Result { PASS, FAIL, INFO }

    record Check(String name, Result result, String detail, String fix) { }

    private final Map<String, String> env;
    private final List<Check> checks = new ArrayList<>();
    private DBusConnection bus;
    private DBus busDaemon;
    private String daemonState = "";

    Doctor(Map<String, String> env) {
        this.env = env;
    }

    List<Check> run() {
        try {
            sessionBus();
            daemon();
            gsconnect();
            ports();
            identity();
            downloads();
            notificationServer();
            avahi();
            firewall();
        } finally {
            if (bus != null) {
                bus.disconnect();
            }
        }
        return checks;
    }

    private void pass(String name, String detail) {
        checks.add(new Check(name, Result.PASS, detail, ""));
    }

    private void fail(String name, String detail, String fix) {
        checks.add(new Check(name, Result.FAIL, detail, fix));
    }

    private void info(String name, String detail) {
        checks.add(new Check(name, Result.INFO, detail, ""));
    }

    private void sessionBus() {
        Optional<String> address = SessionBus.address(env);
        if (address.isEmpty()) {
            fail("session bus", "none: DBUS_SESSION_BUS_ADDRESS is not set and there is no $XDG_RUNTIME_DIR/bus",
                    "run gsbridge in your desktop session; its commands, Nautilus and notifications need the bus");
            return;
        }
        try {
            bus = SessionBus.connect(address.get());
            busDaemon = bus.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            pass("session bus", address.get());
        } catch (DBusException | RuntimeException e) {
            fail("session bus", "cannot connect to " + address.get() + ": " + e.getMessage(),
                    "log in to the desktop again, or check DBUS_SESSION_BUS_ADDRESS");
        }
    }

    private boolean owned(String name) {
        try {
            return busDaemon != null && busDaemon.NameHasOwner(name);
        } catch (DBusExecutionException e) {
            return false;
        }
    }

    private boolean activatable(String name) {
        try {
            return busDaemon != null && List.of(busDaemon.ListActivatableNames()).contains(name);
        } catch (DBusExecutionException e) {
            return false;
        }
    }

    private void daemon() {
        if (bus == null) {
            info("gsbridge daemon", "cannot be asked without a session bus");
            return;
        }
        if (!owned(DbusService.BUS_NAME)) {
            fail("gsbridge daemon", "not running", "systemctl --user start gsbridge, or gsbridge daemon in a terminal");
            return;
        }
        try {
            Map<String, Variant<?>> manager = bus.getRemoteObject(DbusService.BUS_NAME, DbusService.MANAGER_PATH,
                    Properties.class).GetAll(Manager1.NAME);
            daemonState = String.valueOf(manager.get("State").getValue());
            String reason = String.valueOf(manager.get("StateReason").getValue());
            if (daemonState.equals("active")) {
                pass("gsbridge daemon", "active: " + reason);
            } else {
                fail("gsbridge daemon", daemonState + ": " + reason, reason.contains("GSConnect")
                        ? "gsbridge takeover" : "free port " + PORT + " (see the port rows)");
            }
        } catch (DBusException | DBusExecutionException e) {
            fail("gsbridge daemon", "does not answer: " + e.getMessage(), "systemctl --user restart gsbridge");
        }
    }

    private void gsconnect() {
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        boolean installed = Files.isDirectory(Path.of("/usr/share/gnome-shell/extensions", GSCONNECT_UUID))
                || Files.isDirectory(home.resolve(".local/share/gnome-shell/extensions").resolve(GSCONNECT_UUID));
        boolean running = owned(GSCONNECT_BUS_NAME);
        if (running) {
            fail("GSConnect", "running: it holds the KDE Connect ports, gsbridge waits",
                    "gsbridge takeover (gsbridge release gives them back)");
        } else if (installed) {
            pass("GSConnect", "installed, not running" + enabledKey().map(v -> " (enabled=" + v + ")").orElse(""));
        } else {
            info("GSConnect", "not installed");
        }
    }

    private Optional<String> enabledKey() {
        try {
            return new Dconf("dconf", env).read(GsconnectDconf.PATH + "enabled");
        } catch (DconfException e) {
            return Optional.empty();
        }
    }

    private void ports() {
        if (daemonState.equals("active")) {
            pass("UDP/TCP port " + PORT, "held by gsbridge");
            return;
        }
        List<PortHolders.Holder> holders = PortHolders.system().find(PORT, PORT);
        if (holders.isEmpty()) {
            pass("UDP/TCP port " + PORT, "free");
            return;
        }
        List<String> who = new ArrayList<>();
        holders.forEach(holder -> who.add(holder.describe()));
        String programs = String.join("; ", who);
        fail("UDP/TCP port " + PORT, programs, programs.contains("gjs") ? "gsbridge takeover (GSConnect holds it)"
                : programs.contains("kdeconnect") ? "quit KDE Connect (kdeconnectd), or uninstall it"
                : "stop that program: KDE Connect peers cannot share the port");
    }

    private void identity() {
        DaemonOptions defaults = DaemonOptions.parse(List.of(), env);
        Path gsconnect = defaults.gsconnectDir();
        if (Files.exists(gsconnect.resolve(IdentityLoader.CERTIFICATE_FILE))) {
            try {
                LocalCertificate certificate = LocalCertificate.load(gsconnect.resolve(IdentityLoader.CERTIFICATE_FILE),
                        gsconnect.resolve(IdentityLoader.PRIVATE_KEY_FILE));
                pass("identity", "GSConnect's, " + certificate.deviceId() + ", from " + gsconnect);
            } catch (CredentialsException e) {
                fail("identity", "GSConnect's files in " + gsconnect + " are unusable: " + e.getMessage(),
                        "gsbridge falls back to its own identity; let GSConnect write them again, or remove them");
            }
            try {
                new Dconf("dconf", env).dump(GsconnectDconf.PATH);
                pass("dconf", "GSConnect's settings are readable");
            } catch (DconfException e) {
                fail("dconf", "cannot read GSConnect's settings: " + e.getMessage(),
                        "install dconf (Debian, Ubuntu: dconf-cli); without it no paired device is trusted");
            }
            return;
        }
        Path own = defaults.configDir();
        if (Files.exists(own.resolve(IdentityLoader.CERTIFICATE_FILE))) {
            pass("identity", "gsbridge's own, in " + own);
        } else {
            pass("identity", "gsbridge's own, made at the first start in " + own);
        }
        info("dconf", "not needed without GSConnect's identity");
    }

    private void downloads() {
        Path folder = XdgUserDirs.download(env);
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            fail("download folder", folder + (existing == null ? " cannot be made" : ": " + existing
                    + " is not a folder"), "make " + folder + " a folder you can write to");
        } else if (!Files.isWritable(existing)) {
            fail("download folder", existing + " is not writable", "chmod u+w " + existing);
        } else {
            pass("download folder", folder + (existing.equals(folder) ? " is writable" : " will be made"));
        }
    }

    private void notificationServer() {
        if (bus == null) {
            fail("notification server", "none without a session bus", "run gsbridge in your desktop session");
            return;
        }
        if (!owned(Notifications.BUS_NAME) && !activatable(Notifications.BUS_NAME)) {
            fail("notification server", "none: pair requests and received files are not shown",
                    "use a desktop with notifications (GNOME Shell is one), or install one such as dunst");
            return;
        }
        try {
            Notifications.ServerInformation<String, String, String, String> server = bus.getRemoteObject(
                    Notifications.BUS_NAME, Notifications.OBJECT_PATH, Notifications.class).GetServerInformation();
            pass("notification server", server.getName() + " " + server.getVersion());
        } catch (DBusException | DBusExecutionException e) {
            fail("notification server", "does not answer: " + e.getMessage(), "restart your desktop session");
        }
    }

    private void avahi() {
        boolean running = Files.exists(Path.of("/run/avahi-daemon/pid"));
        info("Avahi", running ? "running: devices are also found through mDNS"
                : "not running: devices are found by UDP broadcast on port " + PORT + " only (mDNS needs avahi-daemon)");
    }

    /** What the firewall tools this user may ask tell about ports 1714-1764; root alone sees nftables and iptables. */
    private void firewall() {
        List<String> unknown = new ArrayList<>();
        boolean found = false;
        Optional<String> ufw = tool(unknown, "ufw", "status");
        if (ufw.isPresent() && ufw.get().contains("Status: active")) {
            found = true;
            verdict("firewall (ufw)", ufw.get().contains("1714:1764"), "sudo ufw allow 1714:1764/udp && sudo ufw "
                    + "allow 1714:1764/tcp");
        }
        Optional<String> firewalld = tool(unknown, "firewall-cmd", "--list-all");
        if (firewalld.isPresent() && !firewalld.get().isBlank()) {
            found = true;
            verdict("firewall (firewalld)", firewalld.get().contains("kdeconnect")
                    || firewalld.get().contains(PORT_RANGE), "sudo firewall-cmd --permanent --add-service=kdeconnect "
                    + "&& sudo firewall-cmd --reload");
        }
        Optional<String> nft = tool(unknown, "nft", "list", "ruleset");
        if (nft.isPresent() && nft.get().contains("hook input")) {
            found = true;
            boolean drops = nft.get().lines().anyMatch(l -> l.contains("hook input") && l.contains("policy drop"));
            verdict("firewall (nftables)", !drops || nft.get().contains("1714-1764"),
                    "add a rule accepting udp and tcp dport 1714-1764 to the input chain");
        }
        Optional<String> iptables = tool(unknown, "iptables", "-S", "INPUT");
        if (iptables.isPresent() && !iptables.get().isBlank()) {
            found = true;
            verdict("firewall (iptables)", !iptables.get().contains("-P INPUT DROP")
                    || iptables.get().contains("1714:1764"),
                    "iptables -A INPUT -p udp --dport 1714:1764 -j ACCEPT (and the same for tcp)");
        }
        if (!unknown.isEmpty()) {
            info("firewall", "cannot tell without root: " + String.join(", ", unknown));
        } else if (!found) {
            pass("firewall", "no firewall rules found");
        }
    }

    private void verdict(String name, boolean open, String fix) {
        if (open) {
            pass(name, "ports " + PORT_RANGE + " are open");
        } else {
            fail(name, "may block ports " + PORT_RANGE + " (KDE Connect)", fix);
        }
    }

    /** A firewall tool's output; empty when it is missing, or (noted in {@code unknown}) refused to answer. */
    private Optional<String> tool(List<String> unknown, String... command) {
        Optional<Path> program = onPath(command[0]);
        if (program.isEmpty()) {
            return Optional.empty();
        }
        List<String> argv = new ArrayList<>(List.of(command));
        argv.set(0, program.get().toString());
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                unknown.add(command[0] + " (no answer)");
                return Optional.empty();
            }
            if (process.exitValue() != 0) {
                String lower = output.toLowerCase(Locale.ROOT);
                if (lower.contains("root") || lower.contains("permission") || lower.contains("not permitted")) {
                    unknown.add(command[0]);
                }
                return Optional.empty();
            }
            return Optional.of(output);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Optional<Path> onPath(String program) {
        String path = env.getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The checks as a table: CHECK, RESULT, what was found, and for a failure what to do. */
    static String table(List<Check> checks) {
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(5);
        StringBuilder out = new StringBuilder(String.format("%-" + width + "s  %-4s  %s%n", "CHECK", "", "FOUND"));
        for (Check check : checks) {
            out.append(String.format("%-" + width + "s  %-4s  %s%n", check.name(), check.result(), check.detail()));
            if (!check.fix().isEmpty()) {
                out.append(" ".repeat(width + 8)).append("-> ").append(check.fix()).append('\n');
            }
        }
        return out.toString();
    }

    static List<Map<String, String>> json(List<Check> checks) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Check check : checks) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("check", check.name());
            row.put("result", check.result().name());
            row.put("detail", check.detail());
            row.put("fix", check.fix());
            rows.add(row);
        }
        return rows;
    }
}
