package io.github.gsbridge.cli;

import io.github.gsbridge.daemon.DaemonOptions;
import io.github.gsbridge.daemon.FatalErrors;
import io.github.gsbridge.daemon.PluginCatalog;
import io.github.gsbridge.daemon.Service;
import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.bus.SessionBus;
import io.github.gsbridge.desktop.NotificationKinds;
import io.github.gsbridge.tls.CredentialsException;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code gsbridge daemon}: runs the daemon in the foreground. Its options are the daemon's own
 * ({@link DaemonOptions}, which the service unit and the tests share), so picocli passes them through.
 */
@Command(name = "daemon", description = "Runs the daemon in the foreground (gsbridge daemon --help).")
final class DaemonCommand implements Callable<Integer> {
    @ParentCommand
    private Gsbridge root;

    @Unmatched
    private List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return run(args, root.console());
    }

    /** Runs the daemon until it is stopped; the exit status (2: a usage mistake, 1: it could not start). */
    static int run(List<String> args, Console console) {
        return run(args, console, DaemonOptions.notificationKinds(PluginCatalog.MODULES));
    }

    /** As {@link #run(List, Console)}, the options naming {@code kinds} of desktop notification. */
    static int run(List<String> args, Console console, NotificationKinds kinds) {
        if (args.contains("--help") || args.contains("-h")) {
            console.out().print(DaemonOptions.usage(kinds));
            return 0;
        }
        DaemonOptions options;
        try {
            options = DaemonOptions.parse(args, console.env(), kinds);
        } catch (IllegalArgumentException e) {
            console.err().println("gsbridge daemon: " + e.getMessage() + "\n");
            console.err().print(DaemonOptions.usage(kinds));
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
