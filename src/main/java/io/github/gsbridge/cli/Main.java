package io.github.gsbridge.cli;

import io.github.gsbridge.daemon.DaemonOptions;
import io.github.gsbridge.daemon.Service;
import io.github.gsbridge.tls.CredentialsException;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** Entry point of the {@code gsbridge} command. */
public final class Main {
    private static final String USAGE = """
            Usage: gsbridge COMMAND [OPTIONS]

            Commands:
              daemon      run the KDE Connect daemon in the foreground (gsbridge daemon --help)
              --help      this text
              --version   print the version
            """;

    private Main() {}

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv)));
    }

    static int run(List<String> args) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            System.out.print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        return switch (command) {
            case "--version" -> {
                String version = Main.class.getPackage().getImplementationVersion();
                System.out.println("gsbridge " + (version == null ? "(development build)" : version));
                yield 0;
            }
            case "daemon" -> daemon(rest);
            default -> {
                System.err.println("gsbridge: unknown command \"" + command + "\"\n");
                System.err.print(USAGE);
                yield 2;
            }
        };
    }

    private static int daemon(List<String> args) {
        if (args.contains("--help") || args.contains("-h")) {
            System.out.print(DaemonOptions.USAGE);
            return 0;
        }
        DaemonOptions options;
        try {
            options = DaemonOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("gsbridge daemon: " + e.getMessage() + "\n");
            System.err.print(DaemonOptions.USAGE);
            return 2;
        }
        if (DaemonOptions.verbose(args)) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        // The hook exists before anything starts, so a SIGTERM at any moment still closes cleanly.
        AtomicReference<Service> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (running) {
                Service service = running.getAndSet(null);
                if (service != null) {
                    service.close();
                }
            }
            stopped.countDown();
        }, "shutdown"));
        synchronized (running) {
            try {
                running.set(Service.start(options));
            } catch (CredentialsException e) {
                System.err.println("gsbridge daemon: cannot start: " + e.getMessage());
                return 1;
            }
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
