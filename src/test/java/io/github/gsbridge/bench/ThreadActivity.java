package io.github.gsbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Context switches and CPU time of every thread of a process, read from {@code /proc}. Each
 * context switch is one time a thread went to sleep or was pushed off a core, so their count over
 * an idle window is the number of times the process woke a core up: what powertop lists as
 * wake-ups. Threads that end inside a window are not counted; idle daemons start and end none.
 */
record ThreadActivity(Map<Long, Sample> threads) {
    /** One thread: its name, its voluntary plus involuntary context switches, its CPU time. */
    record Sample(String name, long switches, long cpuNanos) { }

    /** The difference over a window, per thread name. */
    record Window(double seconds, long switches, long cpuNanos, Map<String, Long> switchesByName) {
        double wakeupsPerSecond() {
            return switches / seconds;
        }

        double cpuMillisPerMinute() {
            return cpuNanos / 1e6 / (seconds / 60);
        }

        /** The threads that woke up, busiest first: "name 12.3/s, ...". */
        String busiest(int count) {
            List<String> parts = new ArrayList<>();
            switchesByName.entrySet().stream().filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(count)
                    .forEach(e -> parts.add(String.format("%s %.2f/s", e.getKey(), e.getValue() / seconds)));
            return parts.isEmpty() ? "(none)" : String.join(", ", parts);
        }
    }

    /**
     * The threads of {@code pid} and of the processes it started (gsbridge's {@code dconf watch}
     * and {@code ip monitor} are part of what it costs); a child's threads are named after it.
     */
    static ThreadActivity of(long pid) throws IOException {
        Map<Long, Sample> threads = new HashMap<>();
        collect(pid, "", threads);
        return new ThreadActivity(threads);
    }

    private static void collect(long pid, String prefix, Map<Long, Sample> threads) throws IOException {
        List<Long> children = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    Sample sample = sample(task);
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new Sample(prefix + sample.name(), sample.switches(), sample.cpuNanos()));
                    for (String child : Files.readString(task.resolve("children")).split(" ")) {
                        if (!child.isBlank()) {
                            children.add(Long.parseLong(child.strip()));
                        }
                    }
                } catch (NoSuchFileException e) {
                    // The thread ended while we read it.
                }
            }
        }
        for (long child : children) {
            try {
                String name = Files.readString(Path.of("/proc", Long.toString(child), "comm")).strip();
                collect(child, "(child " + name + ") ", threads);
            } catch (NoSuchFileException e) {
                // It ended meanwhile.
            }
        }
    }

    private static Sample sample(Path task) throws IOException {
        long switches = 0;
        for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                switches += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        // schedstat's first field is the time on a CPU in nanoseconds, finer than stat's clock ticks.
        long cpu = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
        return new Sample(Files.readString(task.resolve("comm")).strip(), switches, cpu);
    }

    /** What happened between {@code earlier} and this sample, {@code seconds} apart. */
    Window since(ThreadActivity earlier, double seconds) {
        long switches = 0;
        long cpu = 0;
        Map<String, Long> byName = new HashMap<>();
        for (Map.Entry<Long, Sample> entry : threads.entrySet()) {
            Sample now = entry.getValue();
            Sample before = earlier.threads.getOrDefault(entry.getKey(), new Sample(now.name(), 0, 0));
            long delta = now.switches() - before.switches();
            switches += delta;
            cpu += now.cpuNanos() - before.cpuNanos();
            byName.merge(now.name(), delta, Long::sum);
        }
        return new Window(seconds, switches, cpu, byName);
    }

    /** A {@code /proc/<pid>/status} field in KiB. */
    static long statusKiB(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IOException("no " + field + " for pid " + pid);
    }
}
