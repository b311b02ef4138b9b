package io.github.gsbridge.bench;

import io.github.gsbridge.cli.Main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Time from starting {@code gsbridge daemon} (a new JVM on this build's classes, own identity, a
 * private session bus) to active: ports bound ("is up" in its log) and the D-Bus name owned.
 * Needs no root and no install; {@code bench/footprint.sh} measures the installed launcher
 * instead. The first run generates the identity; later runs load it. Prints the median of the
 * later runs; asserts nothing. JVM options for the daemon come from {@code gsbridge.child.jvmArgs}.
 * Usage: StartupBenchmark [runs, default 5]
 */
public final class StartupBenchmark {
    private StartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("gsbridge-startup");
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        try {
            List<double[]> starts = FootprintBenchmark.startUp(
                    List.of(javaCommand, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "daemon"),
                    Map.of("HOME", dir.resolve("home").toString(),
                            "JDK_JAVA_OPTIONS", System.getProperty("gsbridge.child.jvmArgs", "").strip()),
                    dir, runs);
            List<double[]> loads = starts.subList(Math.min(1, starts.size() - 1), starts.size());
            System.out.printf("ports bound after %s s, D-Bus name owned after %s s (median [min-max] of %d runs"
                    + " after the first)%n", FootprintBenchmark.summary(loads.stream().mapToDouble(s -> s[0]).toArray(),
                    "%.2f"), FootprintBenchmark.summary(loads.stream().mapToDouble(s -> s[1]).toArray(), "%.2f"),
                    loads.size());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
