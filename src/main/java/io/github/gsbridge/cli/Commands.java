package io.github.gsbridge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.gsbridge.credentials.Dconf;
import io.github.gsbridge.credentials.DconfException;
import io.github.gsbridge.credentials.GVariantText;
import io.github.gsbridge.credentials.GsconnectDconf;
import io.github.gsbridge.daemon.DaemonOptions;
import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.dbus.Device1;
import io.github.gsbridge.dbus.Manager1;
import io.github.gsbridge.dbus.Transfer1;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The client commands: each talks to the daemon over D-Bus only. */
final class Commands {
    private static final String GSCONNECT_EXTENSION = "gsconnect@andyholmes.github.io";
    private static final String ENABLED_KEY = GsconnectDconf.PATH + "enabled";
    /** Hand-over happens within 2 s; allow for a slow GSConnect shutdown on top. */
    private static final Duration STATE_WAIT = Duration.ofSeconds(15);

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** How long "pair" waits for the device's user; KDE Connect's own request timeout is 30 s. */
    private static final long PAIR_WAIT_SECONDS = 60;
    /** How Device1.EncryptionInfo starts while a pair request is pending. */
    private static final String VERIFICATION_KEY = "verification key ";
    /** Device1.PairingState while our request waits for the device's user. */
    private static final String REQUESTED_BY_US = "requested-by-us";
    private static final Map<String, String> DEVICE = Map.of("-d", "--device", "--device", "--device");

    private final Console console;

    Commands(Console console) {
        this.console = console;
    }

    /** A client command: its usage text, the options it takes, and what it does. */
    record Command(String usage, Map<String, String> valueOptions, Set<String> flags, Body body,
                   boolean needsDaemon) {
        /** A command that talks to the running daemon. */
        Command(String usage, Map<String, String> valueOptions, Set<String> flags, Body body) {
            this(usage, valueOptions, flags, body, true);
        }

        /** The usage's first line without "gsbridge ", e.g. "pair -d DEV". */
        String synopsis() {
            return usage.lines().findFirst().orElse("").replaceFirst("^gsbridge ", "");
        }

        /** The first sentence of the usage's description, for the command list of gsbridge --help. */
        String summary() {
            int start = usage.indexOf("\n\n");
            String text = start < 0 ? "" : usage.substring(start + 2).replaceAll("\\s+", " ").strip();
            int end = text.indexOf(". ");
            String sentence = end < 0 ? text : text.substring(0, end + 1);
            // A long first sentence is cut at its first clause, so that the list stays one line a command.
            int clause = sentence.indexOf(", ");
            return sentence.length() > 80 && clause > 0 ? sentence.substring(0, clause) + "." : sentence;
        }
    }

    @FunctionalInterface
    interface Body {
        void run(Commands commands, Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException;
    }

    static final Map<String, Command> ALL = new LinkedHashMap<>();

    static {
        ALL.put("devices", new Command("gsbridge devices [--json]\n\nLists the devices gsbridge knows.",
                Map.of(), Set.of("--json"), Commands::devices));
        ALL.put("status", new Command("gsbridge status\n\nShows the daemon's identity, state and port.",
                Map.of(), Set.of(), Commands::status));
        ALL.put("pair", new Command("gsbridge pair -d DEV\n\nAsks DEV to pair and waits for the answer. It shows the "
                + "verification key to compare with the one on the device.", DEVICE, Set.of(), Commands::pair));
        ALL.put("unpair", new Command("gsbridge unpair -d DEV\n\nForgets the pairing with DEV (on both sides).",
                DEVICE, Set.of(), (c, a, b) -> c.simple(a, b, "Unpair", "Unpaired")));
        ALL.put("accept", new Command("gsbridge accept -d DEV\n\nAccepts DEV's pair request.",
                DEVICE, Set.of(), (c, a, b) -> c.simple(a, b, "AcceptPair", "Paired with")));
        ALL.put("reject", new Command("gsbridge reject -d DEV\n\nRejects DEV's pair request.",
                DEVICE, Set.of(), (c, a, b) -> c.simple(a, b, "RejectPair", "Rejected the pair request of")));
        ALL.put("ping", new Command("gsbridge ping -d DEV [MESSAGE]\n\nPings DEV, with a message if given.",
                DEVICE, Set.of(), Commands::ping));
        ALL.put("ring", new Command("gsbridge ring -d DEV\n\nMakes DEV ring.",
                DEVICE, Set.of(), (c, a, b) -> c.simple(a, b, "Ring", "Ringing")));
        ALL.put("share", new Command("gsbridge share -d DEV FILE...\n\nSends files to DEV and waits until they "
                + "arrived. The exit status is 0 only when every file did.", DEVICE, Set.of(), Commands::share));
        ALL.put("share-url", new Command("gsbridge share-url -d DEV URL\n\nOpens URL on DEV.",
                DEVICE, Set.of(), Commands::shareUrl));
        ALL.put("share-text", new Command("gsbridge share-text -d DEV TEXT\n\nSends TEXT to DEV.",
                DEVICE, Set.of(), Commands::shareText));
        ALL.put("notify", new Command("""
                gsbridge notify -d DEV --title TITLE --text TEXT [--app NAME] [--id ID] [--icon PNG]

                Shows a notification on DEV and prints its id (for withdraw).""",
                Map.of("-d", "--device", "--device", "--device", "--title", "--title", "--text", "--text",
                        "--app", "--app", "--id", "--id", "--icon", "--icon"), Set.of(), Commands::notify));
        ALL.put("withdraw", new Command("gsbridge withdraw -d DEV ID\n\nRemoves the notification ID we sent to DEV.",
                DEVICE, Set.of(), Commands::withdraw));
        ALL.put("reply", new Command("gsbridge reply -d DEV ID MESSAGE\n\nAnswers DEV's notification ID with MESSAGE. "
                + "ID is a chat message, say.", DEVICE, Set.of(), Commands::reply));
        ALL.put("action", new Command("gsbridge action -d DEV ID ACTION\n\nPresses the button ACTION of DEV's "
                + "notification ID. \"gsbridge notifications\" lists them.", DEVICE, Set.of(), Commands::action));
        ALL.put("notifications", new Command("gsbridge notifications -d DEV [--json]\n\nLists DEV's notifications.",
                DEVICE, Set.of("--json"), Commands::notifications));
        ALL.put("takeover", new Command("""
                gsbridge takeover

                Switches GSConnect off and waits until gsbridge holds the KDE Connect ports. It
                sets GSConnect's "enabled" key, and disables the GNOME Shell extension where
                gnome-extensions exists.""",
                Map.of(), Set.of(), Commands::takeover));
        ALL.put("release", new Command("""
                gsbridge release

                Gives the KDE Connect ports back and switches GSConnect on again. gsbridge stays
                waiting until "gsbridge takeover" or until GSConnect has come and gone.""",
                Map.of(), Set.of(), Commands::release));
        ALL.put("doctor", new Command("""
                gsbridge doctor [--json]

                Checks what gsbridge needs and says what to do about each problem. The exit
                status is 1 when a check fails. It works without the daemon.""",
                Map.of(), Set.of("--json"), Commands::doctor, false));
        ALL.put("connect", new Command("""
                gsbridge connect [--once] HOST[:PORT]
                gsbridge connect --list
                gsbridge connect --forget HOST[:PORT]

                Asks the device at HOST to connect to gsbridge, for devices that are not found by
                themselves (over a VPN or Tailscale, on another subnet, behind a router that drops
                broadcasts). HOST is an address or a name; PORT is the device's discovery port
                (1716 if not given). gsbridge remembers HOST and tries it again at every start and
                after network changes until the device connects; --once does not remember it.
                --list shows the remembered addresses; --forget stops trying one.""",
                Map.of("--forget", "--forget"), Set.of("--once", "--list"), Commands::connect));
        ALL.put("watch", new Command("gsbridge watch [--json]\n\nPrints events as they happen. It stops on Ctrl-C "
                + "or when the daemon stops.", Map.of(), Set.of("--json"), (c, a, b) -> new Watch(c.console).run(a, b)));
    }

    /** Runs a client command; returns the exit status (0 ok, 1 failed, 2 usage). */
    static int run(String name, Command command, List<String> argv, Console console) {
        if (argv.contains("--help") || argv.contains("-h")) {
            console.out().println("Usage: " + command.usage());
            return 0;
        }
        Arguments args;
        try {
            args = Arguments.parse(argv, command.valueOptions(), command.flags());
        } catch (Arguments.UsageException e) {
            return usage(name, command, console, e.getMessage());
        }
        BusClient bus = null;
        try {
            bus = command.needsDaemon() ? BusClient.open(console.env()) : null;
            command.body().run(new Commands(console), args, bus);
            return 0;
        } catch (Arguments.UsageException e) {
            return usage(name, command, console, e.getMessage());
        } catch (CliFailure | DBusExecutionException e) {
            console.err().println("gsbridge " + name + ": " + e.getMessage());
            return 1;
        } finally {
            if (bus != null) {
                bus.close();
            }
        }
    }

    private static int usage(String name, Command command, Console console, String problem) {
        console.err().println("gsbridge " + name + ": " + problem + "\n\nUsage: " + command.usage());
        return 2;
    }

    private void print(Object value) throws CliFailure {
        try {
            console.out().println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new CliFailure("cannot write JSON: " + e.getMessage());
        }
    }

    private static void noMore(Arguments args) throws Arguments.UsageException {
        if (!args.positional().isEmpty()) {
            throw new Arguments.UsageException("unexpected argument \"" + args.positional().get(0) + "\"");
        }
    }

    /** DEV resolved to the device's object path, name and proxy. */
    private record Target(String path, String name, Device1 device) { }

    private static Target target(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        String path = bus.device(args.required("--device"));
        String name = String.valueOf(BusClient.value(bus.properties(path, Device1.NAME), "Name").orElse(path));
        return new Target(path, name, bus.remote(path, Device1.class));
    }

    // --- commands

    private void devices(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        noMore(args);
        Map<DBusPath, Map<String, Map<String, Variant<?>>>> objects =
                bus.remote(DbusService.MANAGER_PATH, ObjectManager.class).GetManagedObjects();
        List<Map<String, Object>> devices = new ArrayList<>();
        objects.forEach((path, interfaces) -> {
            if (interfaces.containsKey(Device1.NAME)) {
                Map<String, Object> device = Plain.properties(interfaces.get(Device1.NAME));
                device.put("path", path.getPath());
                devices.add(device);
            }
        });
        devices.sort(Comparator.comparing(d -> String.valueOf(d.get("name"))));
        if (args.flag("--json")) {
            print(devices);
            return;
        }
        if (devices.isEmpty()) {
            console.out().println("No devices known yet. Paired devices show up here; others while they are "
                    + "on the network.");
        }
        for (Map<String, Object> device : devices) {
            console.out().printf("%s  %s  %s, %s%n", device.get("name"), device.get("id"),
                    Boolean.TRUE.equals(device.get("paired")) ? "paired" : "not paired",
                    Boolean.TRUE.equals(device.get("reachable")) ? "reachable" : "not reachable");
        }
    }

    private void status(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        noMore(args);
        Map<String, Variant<?>> manager = bus.properties(DbusService.MANAGER_PATH, Manager1.NAME);
        String reason = String.valueOf(BusClient.value(manager, "StateReason").orElse(""));
        console.out().printf("gsbridge \"%s\" (%s)%nstate: %s%s%nidentity: %s%nTCP port: %s%n",
                BusClient.value(manager, "Name").orElse(""), BusClient.value(manager, "Id").orElse(""),
                BusClient.value(manager, "State").orElse(""), reason.isEmpty() ? "" : " (" + reason + ")",
                BusClient.value(manager, "IdentitySource").orElse(""), Plain.of(manager.get("TcpPort")));
    }

    private void doctor(Arguments args, BusClient unused) throws CliFailure, Arguments.UsageException {
        noMore(args);
        List<Doctor.Check> checks = new Doctor(console.env()).run();
        if (args.flag("--json")) {
            print(Doctor.json(checks));
        } else {
            console.out().print(Doctor.table(checks));
        }
        long failed = checks.stream().filter(c -> c.result() == Doctor.Result.FAIL).count();
        if (failed > 0) {
            throw new CliFailure(failed + (failed == 1 ? " check failed" : " checks failed"));
        }
    }

    private void connect(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        Manager1 manager = bus.manager();
        if (args.flag("--list")) {
            noMore(args);
            List<String> addresses = manager.RememberedAddresses();
            if (addresses.isEmpty()) {
                console.out().println("No remembered addresses.");
            }
            addresses.forEach(console.out()::println);
            return;
        }
        if (args.value("--forget").isPresent()) {
            noMore(args);
            String address = args.value("--forget").get();
            if (!manager.ForgetAddress(address)) {
                throw new CliFailure(address + " was not remembered (\"gsbridge connect --list\" shows them).");
            }
            console.out().println("Forgot " + address + ".");
            return;
        }
        if (args.positional().size() != 1) {
            throw new Arguments.UsageException("give one HOST or HOST:PORT");
        }
        String address = args.positional().get(0);
        Map<String, Variant<?>> state = bus.properties(DbusService.MANAGER_PATH, Manager1.NAME);
        boolean active = "active".equals(BusClient.value(state, "State").orElse(""));
        if (args.flag("--once")) {
            if (!active) {
                throw new CliFailure("gsbridge does not hold the KDE Connect ports now ("
                        + BusClient.value(state, "StateReason").orElse("") + "); \"gsbridge takeover\" takes them.");
            }
            manager.Connect(address.startsWith("lan://") ? address : "lan://" + address);
            console.out().println("Asked " + address + " to connect; \"gsbridge devices\" shows whether it did.");
            return;
        }
        manager.RememberAddress(address);
        console.out().println((active ? "Asked " + address + " to connect; \"gsbridge devices\" shows whether it did."
                : "Remembered " + address + "; gsbridge does not hold the KDE Connect ports now ("
                + BusClient.value(state, "StateReason").orElse("") + ") and asks it once it does.")
                + "\ngsbridge asks again at every start and after network changes until it connects "
                + "(\"gsbridge connect --forget " + address + "\" stops that).");
    }

    private void takeover(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        noMore(args);
        recordGsconnectSwitches();
        switchGsconnect(false);
        bus.manager().TakeOver();
        String reason = awaitState(bus, "active");
        console.out().println("gsbridge holds the KDE Connect ports (" + reason + ").");
    }

    private void release(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        noMore(args);
        bus.manager().Release();
        awaitState(bus, "waiting");
        console.out().println("gsbridge released the KDE Connect ports.");
        restoreGsconnectSwitches();
    }

    /** Where takeover notes GSConnect's switches as it found them; release puts them back and removes it. */
    private Path takeoverRecord() {
        return DaemonOptions.parse(List.of(), console.env()).configDir().resolve("gsconnect-before-takeover");
    }

    /**
     * Notes the enabled key (absent: never set) and whether the Shell extension was enabled,
     * unless an earlier takeover did: then GSConnect is off already, and the first record is the truth.
     */
    private void recordGsconnectSwitches() throws CliFailure {
        Path record = takeoverRecord();
        if (Files.exists(record)) {
            return;
        }
        java.util.Properties found = new java.util.Properties();
        try {
            new Dconf("dconf", console.env()).read(ENABLED_KEY).ifPresent(value -> found.setProperty("enabled", value));
        } catch (DconfException e) {
            console.out().println("GSConnect: could not read " + ENABLED_KEY + ": " + e.getMessage());
        }
        found.setProperty("extension", extensionEnabled() ? "enabled" : "not enabled");
        try {
            Files.createDirectories(record.getParent());
            try (var out = Files.newBufferedWriter(record)) {
                found.store(out, "GSConnect's switches before gsbridge takeover; gsbridge release restores them");
            }
        } catch (IOException e) {
            throw new CliFailure("cannot note GSConnect's switches in " + record + ": " + e.getMessage());
        }
    }

    private void restoreGsconnectSwitches() throws CliFailure {
        Path record = takeoverRecord();
        if (!Files.exists(record)) {
            console.out().println("GSConnect: left as it is; gsbridge takeover did not switch it off.");
            return;
        }
        java.util.Properties found = new java.util.Properties();
        try (var in = Files.newBufferedReader(record)) {
            found.load(in);
        } catch (IOException e) {
            throw new CliFailure("cannot read " + record + ": " + e.getMessage());
        }
        String enabled = found.getProperty("enabled");
        try {
            Dconf dconf = new Dconf("dconf", console.env());
            if (enabled == null) {
                dconf.reset(ENABLED_KEY);
                console.out().println("GSConnect: reset " + ENABLED_KEY + " (it was never set before takeover).");
            } else {
                dconf.write(ENABLED_KEY, enabled);
                console.out().println("GSConnect: set " + ENABLED_KEY + " to " + enabled + ", as before takeover.");
            }
        } catch (DconfException | IllegalArgumentException e) {
            console.out().println("GSConnect: could not restore " + ENABLED_KEY + ": " + e.getMessage());
        }
        if ("enabled".equals(found.getProperty("extension"))) {
            gnomeExtensions("enable");
        }
        try {
            Files.delete(record);
        } catch (IOException e) {
            throw new CliFailure("cannot remove " + record + ": " + e.getMessage());
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

    /** Waits until the daemon reports {@code state}; returns its reason, or fails with the one it keeps giving. */
    private String awaitState(BusClient bus, String state) throws CliFailure {
        long deadline = System.nanoTime() + STATE_WAIT.toNanos();
        while (true) {
            Map<String, Variant<?>> manager = bus.properties(DbusService.MANAGER_PATH, Manager1.NAME);
            String reason = String.valueOf(BusClient.value(manager, "StateReason").orElse(""));
            if (state.equals(BusClient.value(manager, "State").orElse(""))) {
                return reason;
            }
            if (System.nanoTime() > deadline) {
                throw new CliFailure("gsbridge is not " + state + " after " + STATE_WAIT.toSeconds() + " s: " + reason);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure("interrupted");
            }
        }
    }

    /**
     * GSConnect's supported switches: the Shell extension watches its "enabled" key and starts
     * or stops the service; gnome-extensions turns the extension itself on or off. Each step
     * reports what it did; one that cannot run is reported and skipped.
     */
    private void switchGsconnect(boolean on) {
        try {
            new Dconf("dconf", console.env()).write(ENABLED_KEY, GVariantText.formatBoolean(on));
            console.out().println("GSConnect: set " + ENABLED_KEY + " to " + on + ".");
        } catch (DconfException | IllegalArgumentException e) {
            console.out().println("GSConnect: could not set " + ENABLED_KEY + ": " + e.getMessage());
        }
        gnomeExtensions(on ? "enable" : "disable");
    }

    private void gnomeExtensions(String verb) {
        if (!onPath("gnome-extensions")) {
            console.out().println("GSConnect: no gnome-extensions here; the extension itself was left as it is.");
            return;
        }
        try {
            Process process = new ProcessBuilder("gnome-extensions", verb, GSCONNECT_EXTENSION)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            boolean done = process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
            console.out().println("GSConnect: gnome-extensions " + verb + " " + GSCONNECT_EXTENSION
                    + (done ? "" : " failed" + (output.isEmpty() ? "" : ": " + output)) + ".");
        } catch (IOException e) {
            console.out().println("GSConnect: gnome-extensions " + verb + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean onPath(String program) {
        for (String dir : console.env().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private void simple(Arguments args, BusClient bus, String method, String done)
            throws CliFailure, Arguments.UsageException {
        noMore(args);
        Target target = target(args, bus);
        switch (method) {
            case "Unpair" -> target.device().Unpair();
            case "AcceptPair" -> target.device().AcceptPair();
            case "RejectPair" -> target.device().RejectPair();
            case "Ring" -> target.device().Ring();
            default -> throw new IllegalArgumentException(method);
        }
        console.out().println(done + " " + target.name() + ".");
    }

    private void ping(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        Target target = target(args, bus);
        target.device().Ping(String.join(" ", args.positional()));
        console.out().println("Pinged " + target.name() + ".");
    }

    private void shareUrl(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        if (args.positional().size() != 1) {
            throw new Arguments.UsageException("give one URL");
        }
        Target target = target(args, bus);
        target.device().ShareUrl(args.positional().get(0));
        console.out().println("Sent the URL to " + target.name() + ".");
    }

    private void shareText(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        if (args.positional().isEmpty()) {
            throw new Arguments.UsageException("give the text to send");
        }
        Target target = target(args, bus);
        target.device().ShareText(String.join(" ", args.positional()));
        console.out().println("Sent the text to " + target.name() + ".");
    }

    private void notify(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        noMore(args);
        String title = args.required("--title");
        String text = args.required("--text");
        Map<String, Variant<?>> notification = new LinkedHashMap<>();
        notification.put("title", new Variant<>(title));
        notification.put("text", new Variant<>(text));
        args.value("--app").ifPresent(app -> notification.put("appName", new Variant<>(app)));
        args.value("--id").ifPresent(id -> notification.put("id", new Variant<>(id)));
        args.value("--icon").ifPresent(icon -> notification.put("icon",
                new Variant<>(console.workingDir().resolve(icon).toString())));
        Target target = target(args, bus);
        console.out().println(target.device().SendNotification(notification));
    }

    private void withdraw(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        if (args.positional().size() != 1) {
            throw new Arguments.UsageException("give the notification id");
        }
        Target target = target(args, bus);
        target.device().WithdrawNotification(args.positional().get(0));
        console.out().println("Withdrew notification " + args.positional().get(0) + " from " + target.name() + ".");
    }

    private void reply(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        if (args.positional().size() < 2) {
            throw new Arguments.UsageException("give the notification id and the message");
        }
        Target target = target(args, bus);
        String id = args.positional().get(0);
        target.device().ReplyNotification(id, String.join(" ", args.positional().subList(1, args.positional().size())));
        console.out().println("Replied to notification " + id + " on " + target.name() + ".");
    }

    private void action(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        if (args.positional().size() != 2) {
            throw new Arguments.UsageException("give the notification id and the action");
        }
        Target target = target(args, bus);
        target.device().ActivateNotificationAction(args.positional().get(0), args.positional().get(1));
        console.out().println("Pressed \"" + args.positional().get(1) + "\" on notification " + args.positional().get(0)
                + " on " + target.name() + ".");
    }

    private void notifications(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        noMore(args);
        Target target = target(args, bus);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map<String, Variant<?>> notification : target.device().ListNotifications()) {
            list.add(Plain.properties(notification));
        }
        if (args.flag("--json")) {
            print(list);
            return;
        }
        if (list.isEmpty()) {
            console.out().println(target.name() + " shows no notifications.");
        }
        for (Map<String, Object> n : list) {
            List<?> actions = (List<?>) n.getOrDefault("actions", List.of());
            console.out().printf("[%s] %s: %s  (id %s%s%s)%n", n.get("appName"), n.get("title"), n.get("text"),
                    n.get("id"), Boolean.TRUE.equals(n.get("repliable")) ? "; repliable" : "",
                    actions.isEmpty() ? "" : "; actions: " + String.join(", ", actions.stream().map(String::valueOf).toList()));
        }
    }

    /** Requests pairing, then waits until the device's user answers (Paired) or the request ends unanswered. */
    private void pair(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        noMore(args);
        Target target = target(args, bus);
        LinkedBlockingQueue<Object> changes = new LinkedBlockingQueue<>();
        try (AutoCloseable handler = bus.connection().addSigHandler(Properties.PropertiesChanged.class,
                signal -> {
                    if (signal.getPath().equals(target.path())) {
                        changes.add(signal);
                    }
                })) {
            target.device().RequestPair();
            Map<String, Variant<?>> now = bus.properties(target.path(), Device1.NAME);
            console.out().println("Asked " + target.name() + " to pair; accept on the device.");
            String info = String.valueOf(BusClient.value(now, "EncryptionInfo").orElse(""));
            if (info.startsWith(VERIFICATION_KEY)) {
                console.out().println("Verification key: " + info.substring(VERIFICATION_KEY.length())
                        + " (the device shows the same)");
            } else {
                // Protocol 7 (kdeconnect 22.12, GSConnect 54) shows both certificates' fingerprints instead.
                console.out().println("Compare with what the device shows: " + info);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PAIR_WAIT_SECONDS);
            boolean seenUnsettled = false;
            while (System.nanoTime() < deadline) {
                if (Boolean.TRUE.equals(BusClient.value(now, "Paired").orElse(false))) {
                    console.out().println("Paired with " + target.name() + ".");
                    return;
                }
                if (!REQUESTED_BY_US.equals(BusClient.value(now, "PairingState").orElse(""))) {
                    // The properties are read one by one: a read in the middle of an accept can
                    // see the request gone but Paired not yet true. Only a second look decides.
                    if (seenUnsettled) {
                        throw new CliFailure(target.name() + " did not accept the pair request (rejected, or it "
                                + "timed out).");
                    }
                    seenUnsettled = true;
                    now = bus.properties(target.path(), Device1.NAME);
                    continue;
                }
                seenUnsettled = false;
                // A signal wakes us at once; the timeout only guards against a missed one.
                changes.poll(1, TimeUnit.SECONDS);
                now = bus.properties(target.path(), Device1.NAME);
            }
            throw new CliFailure("no answer from " + target.name() + " within " + PAIR_WAIT_SECONDS + " s.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted");
        } catch (CliFailure | DBusExecutionException e) {
            throw e;
        } catch (Exception e) {
            throw new CliFailure("cannot follow " + target.name() + "'s answer: " + e.getMessage());
        }
    }

    /**
     * Sends the files as one transfer and follows it to its end, with a progress bar on a terminal.
     * Interrupting the command (Ctrl-C, SIGTERM) cancels the transfer rather than leave it running.
     */
    private void share(Arguments args, BusClient bus) throws CliFailure, Arguments.UsageException {
        if (args.positional().isEmpty()) {
            throw new Arguments.UsageException("give at least one file");
        }
        List<String> files = new ArrayList<>();
        for (String file : args.positional()) {
            files.add(file.startsWith("file:") ? file : console.workingDir().resolve(Path.of(file)).toString());
        }
        Target target = target(args, bus);
        LinkedBlockingQueue<Object> changes = new LinkedBlockingQueue<>();
        try (AutoCloseable handler = bus.connection().addSigHandler(Properties.PropertiesChanged.class,
                signal -> changes.add(signal))) {
            String transfer = target.device().ShareFiles(files, false).getPath();
            Thread cancelOnExit = new Thread(() -> cancelUnfinished(bus, transfer, target.name()), "cancel-share");
            Runtime.getRuntime().addShutdownHook(cancelOnExit);
            try {
                console.err().println("Sending " + files.size() + " file(s) to " + target.name() + " as " + transfer
                        + "; Ctrl-C cancels.");
                follow(transfer, files.size(), target.name(), bus, changes);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(cancelOnExit);
                } catch (IllegalStateException exiting) {
                    // The JVM is already shutting down: the hook runs, and cancels if need be.
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted");
        } catch (CliFailure | DBusExecutionException e) {
            throw e;
        } catch (Exception e) {
            throw new CliFailure("cannot follow the transfer to " + target.name() + ": " + e.getMessage());
        }
    }

    private void follow(String transfer, int count, String device, BusClient bus, LinkedBlockingQueue<Object> changes)
            throws CliFailure, InterruptedException {
        Progress progress = new Progress(console, device);
        while (true) {
            Map<String, Variant<?>> now = bus.properties(transfer, Transfer1.NAME);
            String state = String.valueOf(BusClient.value(now, "State").orElse(""));
            progress.show(((Number) Plain.of(now.get("BytesDone"))).longValue(),
                    ((Number) Plain.of(now.get("BytesTotal"))).longValue());
            switch (state) {
                case "completed" -> {
                    progress.finish();
                    console.out().println("Sent " + count + " file(s) to " + device + ".");
                    return;
                }
                case "failed", "cancelled" -> {
                    progress.finish();
                    String error = String.valueOf(BusClient.value(now, "Error").orElse(""));
                    throw new CliFailure("sending to " + device + " " + state
                            + (error.isEmpty() ? "" : ": " + error));
                }
                default -> changes.poll(1, TimeUnit.SECONDS);
            }
        }
    }

    private void cancelUnfinished(BusClient bus, String transfer, String device) {
        try {
            Object state = BusClient.value(bus.properties(transfer, Transfer1.NAME), "State").orElse("");
            if (!Set.of("completed", "failed", "cancelled").contains(state)) {
                bus.remote(transfer, Transfer1.class).Cancel();
                console.err().println();
                console.err().println("Cancelled sending to " + device + ".");
            }
        } catch (CliFailure | DBusExecutionException e) {
            console.err().println("gsbridge: could not cancel " + transfer + ": " + e.getMessage());
        }
    }

    /** A one-line progress bar, drawn only on a terminal. */
    private static final class Progress {
        private final Console console;
        private final String device;
        private boolean drawn;

        Progress(Console console, String device) {
            this.console = console;
            this.device = device;
        }

        void show(long done, long total) {
            if (!console.terminal()) {
                return;
            }
            int percent = total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
            int filled = percent * 30 / 100;
            console.out().printf(Locale.ROOT, "\rto %s [%s%s] %3d%% %s of %s", device, "#".repeat(filled),
                    " ".repeat(30 - filled), percent, size(done), size(total));
            console.out().flush();
            drawn = true;
        }

        void finish() {
            if (drawn) {
                console.out().println();
            }
        }

        private static String size(long bytes) {
            if (bytes < 1024 * 1024) {
                return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
            }
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
    }
}
