package io.github.gsbridge.bench;

import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.testsupport.GsbridgeDaemon;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.PrivateBus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Time from starting {@code gsbridge daemon} (a new JVM, own identity, a private session bus) to
 * active: ports bound ("is up" in its log) and the D-Bus name owned. The first run of a home
 * generates its identity; later runs load it. Prints seconds per run; asserts nothing. JVM
 * options for the daemon come from {@code gsbridge.child.jvmArgs}. Usage: StartupBenchmark [runs, default 5]
 */
public final class StartupBenchmark {
    private StartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("gsbridge-startup");
        String jvmArgs = System.getProperty("gsbridge.child.jvmArgs", "").strip();
        try (PrivateBus bus = PrivateBus.start(dir.resolve("bus"))) {
            Path home = dir.resolve("home");
            for (int run = 1; run <= runs; run++) {
                PortRange ports = Ports.freeRange(4);
                long start = System.nanoTime();
                try (GsbridgeDaemon daemon = GsbridgeDaemon.start(dir.resolve("run" + run), List.of(), Map.of(
                        "HOME", home.toString(), "DBUS_SESSION_BUS_ADDRESS", bus.address(),
                        "JDK_JAVA_OPTIONS", jvmArgs), List.of("--identity", "own",
                        "--udp-port", String.valueOf(ports.first()), "--tcp-ports", String.valueOf(ports.first() + 1),
                        "--payload-ports", (ports.first() + 2) + "-" + ports.last(), "--broadcast", "127.0.0.1",
                        "--no-desktop-notifications"))) {
                    daemon.awaitLog("is up");
                    double up = (System.nanoTime() - start) / 1e9;
                    daemon.awaitLog(GsbridgeDaemon.ON_THE_BUS);
                    double onBus = (System.nanoTime() - start) / 1e9;
                    System.out.printf("run %d%s: ports bound after %.2f s, D-Bus name owned after %.2f s%n", run,
                            run == 1 ? " (new identity)" : "", up, onBus);
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
