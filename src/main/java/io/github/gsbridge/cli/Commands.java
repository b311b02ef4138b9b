package io.github.gsbridge.cli;

import io.github.gsbridge.credentials.Dconf;
import io.github.gsbridge.credentials.DconfException;
import io.github.gsbridge.credentials.GVariantText;
import io.github.gsbridge.credentials.GsconnectDconf;
import io.github.gsbridge.daemon.DaemonOptions;
import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.dbus.Device1;
import io.github.gsbridge.dbus.Manager1;
import io.github.gsbridge.plugin.ClientContext;
import io.github.gsbridge.plugin.CommandFailure;
import io.github.gsbridge.plugin.DaemonClient;
import io.github.gsbridge.plugin.DeviceCommand;
import io.github.gsbridge.plugin.Plain;
import io.github.gsbridge.plugin.WatchFormat;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The commands about the daemon and pairing; each plugin's package brings its own. */
final class Commands {
    private static final String GSCONNECT_EXTENSION = "gsconnect@andyholmes.github.io";
    private static final String ENABLED_KEY = GsconnectDconf.PATH + "enabled";
    /** Hand-over happens within 2 s; allow for a slow GSConnect shutdown on top. */
    private static final Duration STATE_WAIT = Duration.ofSeconds(15);
    /** How long "pair" waits for the device's user; KDE Connect's own request timeout is 30 s. */
    private static final long PAIR_WAIT_SECONDS = 60;
    /** How Device1.EncryptionInfo starts while a pair request is pending. */
    private static final String VERIFICATION_KEY = "verification key ";
    /** Device1.PairingState while our request waits for the device's user. */
    private static final String REQUESTED_BY_US = "requested-by-us";

    private Commands() {}

    /** The commands this package declares, in the order --help lists them. */
    static final List<Class<?>> CORE = List.of(Devices.class, Status.class, Pair.class, Unpair.class, Accept.class,
            Reject.class, Takeover.class, Release.class, DoctorCommand.class, Connect.class, Watch.class);

    /** A command about the daemon as a whole. */
    abstract static class DaemonCommand implements Callable<Integer> {
        @ParentCommand
        ClientContext cli;

        @Override
        public final Integer call() throws Exception {
            run();
            return 0;
        }

        abstract void run() throws Exception;
    }

    @Command(name = "devices", description = "Lists the devices gsbridge knows.")
    static final class Devices extends DaemonCommand {
        @Option(names = "--json", description = "Prints JSON, for scripts.")
        boolean json;

        @Option(names = "--refresh", description = "First asks the devices on the network to connect, as the "
                + "refresh in their app does, and gives them three seconds.")
        boolean refresh;

        @Override
        void run() throws CommandFailure {
            if (refresh) {
                cli.daemon().remote(DbusService.MANAGER_PATH, Manager1.class).Announce();
                BusClient.pause(BusClient.ANSWER_WAIT);
            }
            Map<DBusPath, Map<String, Map<String, Variant<?>>>> objects = cli.daemon()
                    .remote(DbusService.MANAGER_PATH, ObjectManager.class).GetManagedObjects();
            List<Map<String, Object>> devices = new ArrayList<>();
            List<String> summaries = new ArrayList<>();
            objects.forEach((path, interfaces) -> {
                if (interfaces.containsKey(Device1.NAME)) {
                    Map<String, Object> device = Plain.properties(interfaces.get(Device1.NAME));
                    device.put("path", path.getPath());
                    device.put("summary", summary(interfaces));
                    devices.add(device);
                }
            });
            devices.sort(Comparator.comparing(d -> String.valueOf(d.get("name"))));
            if (json) {
                devices.forEach(device -> device.remove("summary"));
                cli.printJson(devices);
                return;
            }
            if (devices.isEmpty()) {
                cli.out().println("No devices known yet. Paired devices show up here; others while they are "
                        + "on the network (\"gsbridge devices --refresh\" asks them to connect).");
            }
            for (Map<String, Object> device : devices) {
                cli.out().printf("%s  %s  %s, %s%s%n", device.get("name"), device.get("id"),
                        Boolean.TRUE.equals(device.get("paired")) ? "paired" : "not paired",
                        Boolean.TRUE.equals(device.get("reachable")) ? "reachable" : "not reachable",
                        device.get("summary"));
            }
        }

        /** What the plugins say about the device, e.g. ", battery 80 %". */
        private static String summary(Map<String, Map<String, Variant<?>>> interfaces) {
            Map<String, Map<String, Object>> plain = new java.util.LinkedHashMap<>();
            interfaces.forEach((name, properties) -> plain.put(name, Plain.properties(properties)));
            StringBuilder out = new StringBuilder();
            for (WatchFormat format : Gsbridge.watchFormats()) {
                format.summary(plain).ifPresent(text -> out.append(", ").append(text));
            }
            return out.toString();
        }
    }

    @Command(name = "status", description = "Shows the daemon's identity, state and port.")
    static final class Status extends DaemonCommand {
        @Override
        void run() throws CommandFailure {
            Map<String, Variant<?>> manager = cli.daemon().properties(DbusService.MANAGER_PATH, Manager1.NAME);
            String reason = String.valueOf(BusClient.value(manager, "StateReason").orElse(""));
            cli.out().printf("gsbridge \"%s\" (%s)%nstate: %s%s%nidentity: %s%nTCP port: %s%n",
                    BusClient.value(manager, "Name").orElse(""), BusClient.value(manager, "Id").orElse(""),
                    BusClient.value(manager, "State").orElse(""), reason.isEmpty() ? "" : " (" + reason + ")",
                    BusClient.value(manager, "IdentitySource").orElse(""), Plain.of(manager.get("TcpPort")));
        }
    }

    @Command(name = "doctor", description = "Checks what gsbridge needs and says what to do about each problem. "
            + "The exit status is 1 when a check fails. It works without the daemon.")
    static final class DoctorCommand extends DaemonCommand {
        @Option(names = "--json", description = "Prints JSON, for scripts.")
        boolean json;

        @Override
        void run() throws CommandFailure {
            List<Doctor.Check> checks = new Doctor(cli.env()).run();
            if (json) {
                cli.printJson(Doctor.json(checks));
            } else {
                cli.out().print(Doctor.table(checks));
            }
            long failed = checks.stream().filter(c -> c.result() == Doctor.Result.FAIL).count();
            if (failed > 0) {
                throw new CommandFailure(failed + (failed == 1 ? " check failed" : " checks failed"));
            }
        }
    }

    @Command(name = "connect", description = {"Asks the device at HOST to connect to gsbridge, for devices that "
            + "are not found by themselves (over a VPN or Tailscale, on another subnet, behind a router that "
            + "drops broadcasts).",
            "HOST is an address or a name; PORT is the device's discovery port (1716 if not given). gsbridge "
            + "remembers HOST and tries it again at every start and after network changes until the device "
            + "connects."})
    static final class Connect extends DaemonCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        What what;

        static final class What {
            @Parameters(paramLabel = "HOST[:PORT]", description = "The device's address.")
            String address;
            @Option(names = "--list", required = true, description = "Shows the remembered addresses.")
            boolean list;
            @Option(names = "--forget", required = true, paramLabel = "HOST[:PORT]",
                    description = "Stops trying a remembered address.")
            String forget;
        }

        @Option(names = "--once", description = "Asks once, without remembering HOST.")
        boolean once;

        @Override
        void run() throws CommandFailure {
            DaemonClient daemon = cli.daemon();
            Manager1 manager = daemon.remote(DbusService.MANAGER_PATH, Manager1.class);
            if (what.list) {
                List<String> addresses = manager.RememberedAddresses();
                if (addresses.isEmpty()) {
                    cli.out().println("No remembered addresses.");
                }
                addresses.forEach(cli.out()::println);
                return;
            }
            if (what.forget != null) {
                if (!manager.ForgetAddress(what.forget)) {
                    throw new CommandFailure(what.forget + " was not remembered (\"gsbridge connect --list\" shows them).");
                }
                cli.out().println("Forgot " + what.forget + ".");
                return;
            }
            String address = what.address;
            Map<String, Variant<?>> state = daemon.properties(DbusService.MANAGER_PATH, Manager1.NAME);
            boolean active = "active".equals(BusClient.value(state, "State").orElse(""));
            if (once) {
                if (!active) {
                    throw new CommandFailure("gsbridge does not hold the KDE Connect ports now ("
                            + BusClient.value(state, "StateReason").orElse("") + "); \"gsbridge takeover\" takes them.");
                }
                manager.Connect(address.startsWith("lan://") ? address : "lan://" + address);
                cli.out().println("Asked " + address + " to connect; \"gsbridge devices\" shows whether it did.");
                return;
            }
            manager.RememberAddress(address);
            cli.out().println((active ? "Asked " + address + " to connect; \"gsbridge devices\" shows whether it did."
                    : "Remembered " + address + "; gsbridge does not hold the KDE Connect ports now ("
                    + BusClient.value(state, "StateReason").orElse("") + ") and asks it once it does.")
                    + "\ngsbridge asks again at every start and after network changes until it connects "
                    + "(\"gsbridge connect --forget " + address + "\" stops that).");
        }
    }

    @Command(name = "takeover", description = "Switches GSConnect off and waits until gsbridge holds the KDE "
            + "Connect ports. It sets GSConnect's \"enabled\" key, and disables the GNOME Shell extension where "
            + "gnome-extensions exists.")
    static final class Takeover extends DaemonCommand {
        @Override
        void run() throws CommandFailure {
            GsconnectSwitches switches = new GsconnectSwitches(cli);
            switches.record();
            switches.turn(false);
            cli.daemon().remote(DbusService.MANAGER_PATH, Manager1.class).TakeOver();
            String reason = awaitState(cli.daemon(), "active");
            cli.out().println("gsbridge holds the KDE Connect ports (" + reason + ").");
        }
    }

    @Command(name = "release", description = "Gives the KDE Connect ports back and switches GSConnect on again. "
            + "gsbridge stays waiting until \"gsbridge takeover\" or until GSConnect has come and gone.")
    static final class Release extends DaemonCommand {
        @Override
        void run() throws CommandFailure {
            cli.daemon().remote(DbusService.MANAGER_PATH, Manager1.class).Release();
            awaitState(cli.daemon(), "waiting");
            cli.out().println("gsbridge released the KDE Connect ports.");
            new GsconnectSwitches(cli).restore();
        }
    }

    /** Waits until the daemon reports {@code state}; returns its reason, or fails with the one it keeps giving. */
    private static String awaitState(DaemonClient daemon, String state) throws CommandFailure {
        long deadline = System.nanoTime() + STATE_WAIT.toNanos();
        while (true) {
            Map<String, Variant<?>> manager = daemon.properties(DbusService.MANAGER_PATH, Manager1.NAME);
            String reason = String.valueOf(BusClient.value(manager, "StateReason").orElse(""));
            if (state.equals(BusClient.value(manager, "State").orElse(""))) {
                return reason;
            }
            if (System.nanoTime() > deadline) {
                throw new CommandFailure("gsbridge is not " + state + " after " + STATE_WAIT.toSeconds() + " s: " + reason);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandFailure("interrupted");
            }
        }
    }

    @Command(name = "unpair", description = "Forgets the pairing with DEV (on both sides).")
    static final class Unpair extends DeviceCommand {
        @Override
        protected void run() throws CommandFailure {
            remote(Device1.class).Unpair();
            cli.out().println("Unpaired " + target().name() + ".");
        }
    }

    @Command(name = "accept", description = "Accepts DEV's pair request.")
    static final class Accept extends DeviceCommand {
        @Override
        protected void run() throws CommandFailure {
            remote(Device1.class).AcceptPair();
            cli.out().println("Paired with " + target().name() + ".");
        }
    }

    @Command(name = "reject", description = "Rejects DEV's pair request.")
    static final class Reject extends DeviceCommand {
        @Override
        protected void run() throws CommandFailure {
            remote(Device1.class).RejectPair();
            cli.out().println("Rejected the pair request of " + target().name() + ".");
        }
    }

    @Command(name = "pair", description = "Asks DEV to pair and waits for the answer. It shows the verification "
            + "key to compare with the one on the device.")
    static final class Pair extends DeviceCommand {
        /** Requests pairing, then waits until the device's user answers (Paired) or the request ends unanswered. */
        @Override
        protected void run() throws CommandFailure {
            DaemonClient daemon = cli.daemon();
            DaemonClient.Target target = target();
            follow(target.name() + "'s answer", () -> requestAndAwait(daemon, target));
        }

        private void requestAndAwait(DaemonClient daemon, DaemonClient.Target target) throws Exception {
            LinkedBlockingQueue<Object> changes = new LinkedBlockingQueue<>();
            try (AutoCloseable handler = daemon.connection().addSigHandler(Properties.PropertiesChanged.class,
                    signal -> {
                        if (signal.getPath().equals(target.path())) {
                            changes.add(signal);
                        }
                    })) {
                remote(Device1.class).RequestPair();
                Map<String, Variant<?>> now = daemon.properties(target.path(), Device1.NAME);
                cli.out().println("Asked " + target.name() + " to pair; accept on the device.");
                String info = String.valueOf(BusClient.value(now, "EncryptionInfo").orElse(""));
                if (info.startsWith(VERIFICATION_KEY)) {
                    cli.out().println("Verification key: " + info.substring(VERIFICATION_KEY.length())
                            + " (the device shows the same)");
                } else {
                    // Protocol 7 (kdeconnect 22.12, GSConnect 54) shows both certificates' fingerprints instead.
                    cli.out().println("Compare with what the device shows: " + info);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PAIR_WAIT_SECONDS);
                boolean seenUnsettled = false;
                while (System.nanoTime() < deadline) {
                    if (Boolean.TRUE.equals(BusClient.value(now, "Paired").orElse(false))) {
                        cli.out().println("Paired with " + target.name() + ".");
                        return;
                    }
                    if (!REQUESTED_BY_US.equals(BusClient.value(now, "PairingState").orElse(""))) {
                        // The properties are read one by one: a read in the middle of an accept can
                        // see the request gone but Paired not yet true. Only a second look decides.
                        if (seenUnsettled) {
                            throw new CommandFailure(target.name() + " did not accept the pair request (rejected, "
                                    + "or it timed out).");
                        }
                        seenUnsettled = true;
                        now = daemon.properties(target.path(), Device1.NAME);
                        continue;
                    }
                    seenUnsettled = false;
                    // A signal wakes us at once; the timeout only guards against a missed one.
                    changes.poll(1, TimeUnit.SECONDS);
                    now = daemon.properties(target.path(), Device1.NAME);
                }
                throw new CommandFailure("no answer from " + target.name() + " within " + PAIR_WAIT_SECONDS + " s.");
            }
        }
    }

    /** GSConnect's switches, which takeover turns off and release puts back as they were. */
    static final class GsconnectSwitches {
        private final ClientContext cli;

        GsconnectSwitches(ClientContext cli) {
            this.cli = cli;
        }

        /** Where takeover notes GSConnect's switches as it found them; release puts them back and removes it. */
        private Path takeoverRecord() {
            return DaemonOptions.parse(List.of(), cli.env()).configDir().resolve("gsconnect-before-takeover");
        }

        /**
         * Notes the enabled key (absent: never set) and whether the Shell extension was enabled,
         * unless an earlier takeover did: then GSConnect is off already, and the first record is the truth.
         */
        void record() throws CommandFailure {
            Path record = takeoverRecord();
            if (Files.exists(record)) {
                return;
            }
            java.util.Properties found = new java.util.Properties();
            try {
                new Dconf("dconf", cli.env()).read(ENABLED_KEY).ifPresent(value -> found.setProperty("enabled", value));
            } catch (DconfException e) {
                cli.out().println("GSConnect: could not read " + ENABLED_KEY + ": " + e.getMessage());
            }
            found.setProperty("extension", extensionEnabled() ? "enabled" : "not enabled");
            try {
                Files.createDirectories(record.getParent());
                try (var out = Files.newBufferedWriter(record)) {
                    found.store(out, "GSConnect's switches before gsbridge takeover; gsbridge release restores them");
                }
            } catch (IOException e) {
                throw new CommandFailure("cannot note GSConnect's switches in " + record + ": " + e.getMessage());
            }
        }

        void restore() throws CommandFailure {
            Path record = takeoverRecord();
            if (!Files.exists(record)) {
                cli.out().println("GSConnect: left as it is; gsbridge takeover did not switch it off.");
                return;
            }
            java.util.Properties found = new java.util.Properties();
            try (var in = Files.newBufferedReader(record)) {
                found.load(in);
            } catch (IOException e) {
                throw new CommandFailure("cannot read " + record + ": " + e.getMessage());
            }
            String enabled = found.getProperty("enabled");
            try {
                Dconf dconf = new Dconf("dconf", cli.env());
                if (enabled == null) {
                    dconf.reset(ENABLED_KEY);
                    cli.out().println("GSConnect: reset " + ENABLED_KEY + " (it was never set before takeover).");
                } else {
                    dconf.write(ENABLED_KEY, enabled);
                    cli.out().println("GSConnect: set " + ENABLED_KEY + " to " + enabled + ", as before takeover.");
                }
            } catch (DconfException | IllegalArgumentException e) {
                cli.out().println("GSConnect: could not restore " + ENABLED_KEY + ": " + e.getMessage());
            }
            if ("enabled".equals(found.getProperty("extension"))) {
                gnomeExtensions("enable");
            }
            try {
                Files.delete(record);
            } catch (IOException e) {
                throw new CommandFailure("cannot remove " + record + ": " + e.getMessage());
            }
        }

        /** Whether gnome-extensions reports GSConnect's Shell extension as enabled (GNOME 43: ENABLED, 45+: ACTIVE). */
        private boolean extensionEnabled() {
            if (!onPath("gnome-extensions")) {
                return false;
            }
            try {
                Process process = new ProcessBuilder("gnome-extensions", "info", GSCONNECT_EXTENSION)
                        .redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0
                        && output.lines().map(String::strip).anyMatch(line -> line.equals("State: ENABLED")
                        || line.equals("State: ACTIVE") || line.equals("Enabled: Yes"));
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /**
         * GSConnect's supported switches: the Shell extension watches its "enabled" key and starts
         * or stops the service; gnome-extensions turns the extension itself on or off. Each step
         * reports what it did; one that cannot run is reported and skipped.
         */
        void turn(boolean on) {
            try {
                new Dconf("dconf", cli.env()).write(ENABLED_KEY, GVariantText.formatBoolean(on));
                cli.out().println("GSConnect: set " + ENABLED_KEY + " to " + on + ".");
            } catch (DconfException | IllegalArgumentException e) {
                cli.out().println("GSConnect: could not set " + ENABLED_KEY + ": " + e.getMessage());
            }
            gnomeExtensions(on ? "enable" : "disable");
        }

        private void gnomeExtensions(String verb) {
            if (!onPath("gnome-extensions")) {
                cli.out().println("GSConnect: no gnome-extensions here; the extension itself was left as it is.");
                return;
            }
            try {
                Process process = new ProcessBuilder("gnome-extensions", verb, GSCONNECT_EXTENSION)
                        .redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                boolean done = process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
                cli.out().println("GSConnect: gnome-extensions " + verb + " " + GSCONNECT_EXTENSION
                        + (done ? "" : " failed" + (output.isEmpty() ? "" : ": " + output)) + ".");
            } catch (IOException e) {
                cli.out().println("GSConnect: gnome-extensions " + verb + " failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private boolean onPath(String program) {
            for (String dir : cli.env().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                if (Files.isExecutable(Path.of(dir, program))) {
                    return true;
                }
            }
            return false;
        }
    }
}
