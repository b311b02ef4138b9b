package io.github.gsbridge.cli;

import io.github.gsbridge.daemon.DaemonOptions;
import io.github.gsbridge.daemon.FatalErrors;
import io.github.gsbridge.daemon.Service;
import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.dbus.SessionBus;
import io.github.gsbridge.logging.EscapingServiceProvider;
import io.github.gsbridge.tls.CredentialsException;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** Entry point of the {@code gsbridge} command: the daemon, and the clients that talk to it over D-Bus. */
public final class Main {
    /** Built from the commands themselves, so that no command is left out of it. */
    static final String USAGE = usage();

    private static String usage() {
        StringBuilder out = new StringBuilder("""
                Usage: gsbridge COMMAND [OPTIONS]

                Commands (DEV is a device's name, any case, a unique beginning of it, or its id;
                COMMAND --help for details):
                """);
        Commands.ALL.forEach((name, command) -> line(out, command.synopsis(), command.summary()));
        line(out, "daemon [OPTIONS]", "Runs the daemon in the foreground (gsbridge daemon --help).");
        line(out, "--help", "This text.");
        line(out, "--version", "Prints the version.");
        return out.append("""

                All commands but daemon talk to the running daemon over the D-Bus session bus.
                Exit status: 0 done, 1 failed, 2 usage error.
                """).toString();
    }

    private static void line(StringBuilder out, String synopsis, String summary) {
        String padded = "  " + synopsis;
        out.append(padded.length() < 32 ? String.format("%-32s", padded) : padded + "\n" + " ".repeat(32))
                .append(summary).append('\n');
    }

    private Main() {}

    public static void main(String[] argv) {
        EscapingServiceProvider.select();
        System.exit(run(Arrays.asList(argv), Console.system()));
    }

    static int run(List<String> args, Console console) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            (args.isEmpty() ? console.err() : console.out()).print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (command.equals("--version")) {
            console.out().println("gsbridge " + version());
            return 0;
        }
        if (command.equals("daemon")) {
            return daemon(rest, console);
        }
        Commands.Command client = Commands.ALL.get(command);
        if (client == null) {
            console.err().println("gsbridge: unknown command \"" + command + "\"\n");
            console.err().print(USAGE);
            return 2;
        }
        return Commands.run(command, client, rest, console);
    }

    /** The project version Maven wrote into version.properties at build time. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/io/github/gsbridge/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // reported below as unknown
        }
        return properties.getProperty("version", "(version unknown: built without Maven)");
    }

    private static int daemon(List<String> args, Console console) {
        if (args.contains("--help") || args.contains("-h")) {
            console.out().print(DaemonOptions.USAGE);
            return 0;
        }
        DaemonOptions options;
        try {
            options = DaemonOptions.parse(args, console.env());
        } catch (IllegalArgumentException e) {
            console.err().println("gsbridge daemon: " + e.getMessage() + "\n");
            console.err().print(DaemonOptions.USAGE);
            return 2;
        }
        if (DaemonOptions.verbose(args)) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        // Logging is configured by now (--verbose), so the logger is created here, not statically.
        Logger log = LoggerFactory.getLogger(Main.class);
        FatalErrors.install();
        Optional<DBusConnection> bus = sessionBus(console.env(), log);
        if (bus.isPresent()) {
            try {
                Optional<String> owner = DbusService.nameOwner(bus.get());
                if (owner.isPresent()) {
                    bus.get().disconnect();
                    console.err().println("gsbridge daemon: gsbridge is already running on this session bus ("
                            + DbusService.BUS_NAME + " is owned by " + owner.get() + "); not starting a second one."
                            + "\nStop the other one first, e.g. \"systemctl --user stop gsbridge\".");
                    return 1;
                }
            } catch (DBusException | DBusExecutionException e) {
                log.warn("cannot ask the session bus who owns {}: {}", DbusService.BUS_NAME, e.getMessage());
            }
        }
        // The hook is in place before anything starts, and waits for start-up to finish: a
        // SIGTERM right after start-up still releases the name and closes the links.
        AtomicReference<Service> started = new AtomicReference<>();
        AtomicReference<DbusService> serving = new AtomicReference<>();
        CountDownLatch startUpDone = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                startUpDone.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // The name goes first, so a new gsbridge can take it while this one closes its links.
            Optional.ofNullable(serving.get()).ifPresent(DbusService::close);
            Optional.ofNullable(started.get()).ifPresent(Service::close);
            stopped.countDown();
        }, "shutdown"));
        try {
            Service service;
            try {
                service = Service.start(options);
            } catch (CredentialsException e) {
                bus.ifPresent(DBusConnection::disconnect);
                console.err().println("gsbridge daemon: cannot start: " + e.getMessage());
                return 1;
            }
            started.set(service);
            if (bus.isPresent()) {
                try {
                    serving.set(DbusService.start(service.daemon(), Optional.of(service.handover()), bus.get()));
                } catch (DbusService.NameTakenException e) {
                    console.err().println("gsbridge daemon: " + e.getMessage() + "; not starting a second one.");
                    return 1;
                } catch (DBusException | RuntimeException e) {
                    log.warn("cannot offer the D-Bus API ({}); running LAN only", e.getMessage());
                }
            }
        } finally {
            startUpDone.countDown();
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static Optional<DBusConnection> sessionBus(Map<String, String> env, Logger log) {
        Optional<String> address = SessionBus.address(env);
        if (address.isEmpty()) {
            log.warn("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set): running LAN only, "
                    + "without the D-Bus API the gsbridge commands use");
            return Optional.empty();
        }
        try {
            return Optional.of(SessionBus.connect(address.get()));
        } catch (DBusException e) {
            log.warn("cannot connect to the session bus at {} ({}): running LAN only, without the D-Bus API",
                    address.get(), e.getMessage());
            return Optional.empty();
        }
    }
}
