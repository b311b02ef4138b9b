package io.github.gsbridge.bench;

import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.RandomFiles;
import io.github.gsbridge.lan.PortRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.github.gsbridge.testsupport.GsbridgeProcess.event;

/**
 * Memory and start-up of real daemon processes on loopback (moved ports, no root): time from
 * process start to active, RSS when idle with one paired device, and peak RSS and heap while
 * receiving a large file. The daemons get the JVM options in {@code gsbridge.child.jvmArgs}, so
 * the launcher's flags can be compared with the JVM's defaults. Prints figures; asserts nothing.
 * Usage: FootprintBenchmark [MiB to receive, default 4096]
 */
public final class FootprintBenchmark {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private FootprintBenchmark() {}

    public static void main(String[] args) throws Exception {
        long bytes = (args.length > 0 ? Long.parseLong(args[0]) : 4096) * 1024 * 1024;
        System.setProperty(GsbridgeProcess.LOG_LEVEL_PROPERTY, "info");
        Path dir = Files.createTempDirectory("gsbridge-footprint");
        PortRange a = Ports.freeRange(6);
        PortRange b = Ports.freeRange(6);
        long started = System.nanoTime();
        try (GsbridgeProcess receiver = daemon(dir.resolve("receiver"), "receiver", a, b.first())) {
            receiver.awaitState("active", WAIT);
            double toActive = (System.nanoTime() - started) / 1e9;
            try (GsbridgeProcess sender = daemon(dir.resolve("sender"), "sender", b, a.first())) {
                sender.awaitState("active", WAIT);
                measure(receiver, sender, dir, bytes, toActive);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void measure(GsbridgeProcess receiver, GsbridgeProcess sender, Path dir, long bytes,
                                double toActive) throws Exception {
        {
            receiver.command("announce");
            sender.awaitEvent(event("Connected", receiver.deviceId()), WAIT);
            sender.command("pair " + receiver.deviceId());
            receiver.awaitEvent(event("PairRequested", sender.deviceId()), WAIT);
            receiver.command("accept " + sender.deviceId());
            sender.awaitEvent(event("Paired", receiver.deviceId()), WAIT);
            TimeUnit.SECONDS.sleep(10);
            long idleRss = status(receiver.pid(), "VmRSS");

            Path source = dir.resolve("source.bin");
            RandomFiles.write(source, bytes, 3);
            long peakHeap = 0;
            sender.command("share-files " + receiver.deviceId() + " false " + source);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (receiver.events().stream().noneMatch(e -> e.get("event").asText().equals("FileReceived"))) {
                peakHeap = Math.max(peakHeap, heapUsedKiB(receiver.pid()));
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no FileReceived within 10 minutes");
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
            long peakRss = status(receiver.pid(), "VmHWM");
            System.out.printf("JVM options: %s%n", System.getProperty(GsbridgeProcess.JVM_ARGS_PROPERTY, "(defaults)"));
            System.out.printf("%-52s %10s%n", "figure", "value");
            System.out.printf("%-52s %9.2f s%n", "start to active (JVM start, identity, ports bound)", toActive);
            System.out.printf("%-52s %7d MiB%n", "RSS idle, one paired device", idleRss / 1024);
            System.out.printf("%-52s %7d MiB%n", "peak RSS receiving " + (bytes >> 20) + " MiB", peakRss / 1024);
            System.out.printf("%-52s %7d MiB%n", "peak heap used receiving (sampled every 0.5 s)", peakHeap / 1024);
        }
    }

    private static GsbridgeProcess daemon(Path home, String name, PortRange ports, int peerUdpPort) throws Exception {
        return GsbridgeProcess.start(home, List.of(), Map.of("HOME", home.toString()), List.of(
                "--identity", "own", "--name", name, "--udp-port", String.valueOf(ports.first()),
                "--peer-udp-port", String.valueOf(peerUdpPort),
                "--tcp-ports", String.valueOf(ports.first() + 1),
                "--payload-ports", (ports.first() + 2) + "-" + ports.last(),
                "--peer-tcp-ports", "1024-65535", "--peer-payload-ports", "1024-65535",
                "--broadcast", "127.0.0.1", "--no-desktop-notifications"));
    }

    /** A {@code /proc/<pid>/status} field in KiB. */
    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IOException("no " + field + " for pid " + pid);
    }

    /** Heap in use according to the JVM itself (jcmd GC.heap_info), in KiB. */
    private static long heapUsedKiB(long pid) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor();
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(output);
        return used.find() ? Long.parseLong(used.group(1)) : 0;
    }
}
