package io.github.gsbridge.bench;

import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.testsupport.GsbridgeDaemon;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.NamespacePair;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.PrivateBus;
import io.github.gsbridge.testsupport.RandomFiles;
import io.github.gsbridge.tls.LocalCertificate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What an always-on gsbridge costs, next to kdeconnectd 22.12 doing the same job: the installed
 * launcher (so with its JVM options and class-data archive) in one network namespace, kdeconnectd
 * in another, paired and linked over a veth. Prints, for both daemons, wake-ups per second, CPU
 * per minute and RSS while idle (median of several windows), then gsbridge's start-up (median of
 * several runs) and its peak RSS and heap while receiving a file from kdeconnectd. Asserts
 * nothing. Needs root and the interop tests' packages; run it with {@code bench/footprint.sh},
 * which installs the current build into a scratch home and passes the launcher in
 * {@code gsbridge.launcher}. {@code gsbridge.child.jvmArgs}, when set, replaces the launcher's JVM
 * options (GSBRIDGE_JAVA_OPTS), to compare them with others.
 * Usage: FootprintBenchmark [idle windows of 60 s, default 3] [start-up runs, default 6] [MiB to receive, default 1024]
 */
public final class FootprintBenchmark {
    private static final Duration SETUP = Duration.ofSeconds(60);
    /** Time for start-up work (JIT, the first native-heap trim) to end before the idle windows. */
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private FootprintBenchmark() {}

    private record Idle(ThreadActivity.Window window, long rssKiB) { }

    public static void main(String[] args) throws Exception {
        int windows = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int startups = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        long bytes = (args.length > 2 ? Long.parseLong(args[2]) : 1024) * 1024 * 1024;
        Path launcher = Path.of(System.getProperty("gsbridge.launcher", ""));
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException("no launcher in gsbridge.launcher; run bench/footprint.sh");
        }
        Path dir = Files.createTempDirectory("gsbridge-footprint");
        try {
            Map<String, String> env = launcherEnvironment(dir.resolve("start/home"));
            List<double[]> starts = startUp(List.of(launcher.toString(), "daemon"), env, dir.resolve("start"), startups);
            sideBySide(launcher, dir.resolve("idle"), windows, bytes, starts);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Seconds from starting {@code daemon} (a command ending in "daemon") to its ports bound and to
     * its D-Bus name owned, per run, each on a private session bus with fresh ports; {@code env}
     * names a HOME, whose identity the first run makes. Each run is also printed to stderr.
     */
    static List<double[]> startUp(List<String> daemon, Map<String, String> env, Path dir, int runs)
            throws Exception {
        List<double[]> result = new ArrayList<>();
        try (PrivateBus bus = PrivateBus.start(dir.resolve("bus"))) {
            Map<String, String> withBus = new HashMap<>(env);
            withBus.put("DBUS_SESSION_BUS_ADDRESS", bus.address());
            for (int run = 1; run <= runs; run++) {
                PortRange ports = Ports.freeRange(4);
                List<String> command = new ArrayList<>(daemon);
                command.addAll(List.of("--identity", "own",
                        "--udp-port", String.valueOf(ports.first()), "--tcp-ports", String.valueOf(ports.first() + 1),
                        "--payload-ports", (ports.first() + 2) + "-" + ports.last(), "--broadcast", "127.0.0.1",
                        "--no-desktop-notifications"));
                long start = System.nanoTime();
                try (GsbridgeDaemon started = GsbridgeDaemon.launch(dir.resolve("run" + run), command, withBus)) {
                    started.awaitLog("is up");
                    double up = (System.nanoTime() - start) / 1e9;
                    started.awaitLog(GsbridgeDaemon.ON_THE_BUS);
                    double onBus = (System.nanoTime() - start) / 1e9;
                    System.err.printf("[bench] start-up run %d%s: ports bound %.2f s, D-Bus name owned %.2f s%n", run,
                            run == 1 ? " (new identity)" : "", up, onBus);
                    result.add(new double[] {up, onBus});
                }
            }
        }
        return result;
    }

    private static void sideBySide(Path launcher, Path dir, int windows, long bytes, List<double[]> starts)
            throws Exception {
        String name = "gsbridge-footprint";
        try (NamespacePair ns = NamespacePair.create();
             GsconnectHome gsconnect = GsconnectHome.create(dir.resolve("gsconnect"), LocalCertificate.newDeviceId(),
                     name)) {
            KdeConnectPeer.Identity identity = KdeConnectPeer.generateIdentity(dir.resolve("kdc-identity"),
                    KdeConnectPeer.randomDeviceId());
            gsconnect.pair(identity.deviceId(), "kdc-footprint", "desktop", identity.certificatePem());
            Map<String, String> env = launcherEnvironment(null);
            env.putAll(gsconnect.environment());
            List<String> command = new ArrayList<>(ns.execPrefix(ns.nsB()));
            command.addAll(List.of(launcher.toString(), "daemon", "--identity", "gsconnect"));
            try (KdeConnectPeer kdc = KdeConnectPeer.builder(dir.resolve("kdc"), ns, ns.nsA()).name("kdc-footprint")
                    .certificate(identity.certificate(), identity.privateKey())
                    .trust(gsconnect.deviceId(), name, gsconnect.certificatePem())
                    .loggingRules("kdeconnect.*=false;kdeconnect.core=true").start();
                 GsbridgeDaemon gsbridge = GsbridgeDaemon.launch(dir.resolve("gsbridge"), command, env)) {
                gsbridge.awaitLog("is up");
                kdc.awaitReachable(gsconnect.deviceId(), true, SETUP);
                gsbridge.awaitLog(": connected from ");
                TimeUnit.MILLISECONDS.sleep(SETTLE.toMillis());
                long gsbridgePid = gsbridge.pid();
                long kdcPid = kdc.log().pid();
                List<Idle> ours = new ArrayList<>();
                List<Idle> theirs = new ArrayList<>();
                for (int i = 0; i < windows; i++) {
                    ThreadActivity gsbridgeBefore = ThreadActivity.of(gsbridgePid);
                    ThreadActivity kdcBefore = ThreadActivity.of(kdcPid);
                    long start = System.nanoTime();
                    TimeUnit.MILLISECONDS.sleep(WINDOW.toMillis());
                    ThreadActivity gsbridgeAfter = ThreadActivity.of(gsbridgePid);
                    ThreadActivity kdcAfter = ThreadActivity.of(kdcPid);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    ours.add(new Idle(gsbridgeAfter.since(gsbridgeBefore, seconds),
                            ThreadActivity.statusKiB(gsbridgePid, "VmRSS")));
                    theirs.add(new Idle(kdcAfter.since(kdcBefore, seconds), ThreadActivity.statusKiB(kdcPid, "VmRSS")));
                    System.err.printf("[bench] idle window %d: gsbridge %.2f wake-ups/s (%s); kdeconnectd %.2f/s%n",
                            i + 1, ours.get(i).window().wakeupsPerSecond(), ours.get(i).window().busiest(6),
                            theirs.get(i).window().wakeupsPerSecond());
                }
                if (!kdc.devices(true, true).contains(gsconnect.deviceId())) {
                    throw new IllegalStateException("the link dropped during the idle windows:\n" + gsbridge.log());
                }
                double[] receiving = receive(kdc, gsbridge, gsconnect, dir, bytes);
                print(ours, theirs, starts, receiving, bytes);
            }
        }
    }

    /** kdeconnectd shares a file to gsbridge: MB/s, gsbridge's peak RSS (VmHWM) and peak heap used, in KiB. */
    private static double[] receive(KdeConnectPeer kdc, GsbridgeDaemon gsbridge, GsconnectHome gsconnect, Path dir,
                                    long bytes) throws Exception {
        Path source = dir.resolve("from-kdc.bin");
        String sha = RandomFiles.write(source, bytes, 5);
        Path arrived = Path.of(gsconnect.environment().get("HOME"), "Downloads", source.getFileName().toString());
        long peakHeap = 0;
        long start = System.nanoTime();
        kdc.cli("--share", source.toString(), "-d", gsconnect.deviceId()).assertOk("kdeconnect-cli --share");
        long deadline = start + TimeUnit.MINUTES.toNanos(10);
        // gsbridge renames the file into place once every byte arrived.
        while (!Files.exists(arrived)) {
            peakHeap = Math.max(peakHeap, heapUsedKiB(gsbridge.pid()));
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + arrived + " within 10 minutes:\n" + gsbridge.log());
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!RandomFiles.sha256(arrived).equals(sha)) {
            throw new IllegalStateException(arrived + " differs from what kdeconnectd sent");
        }
        return new double[] {bytes / 1e6 / seconds, ThreadActivity.statusKiB(gsbridge.pid(), "VmHWM"), peakHeap};
    }

    private static void print(List<Idle> ours, List<Idle> theirs, List<double[]> starts, double[] receiving,
                              long bytes) {
        String jvmArgs = System.getProperty("gsbridge.child.jvmArgs", "").strip();
        System.out.println("gsbridge: " + System.getProperty("gsbridge.launcher")
                + (jvmArgs.isEmpty() ? " (the launcher's JVM options)" : " with GSBRIDGE_JAVA_OPTS=" + jvmArgs));
        System.out.printf("idle, linked and paired with each other over a veth, %d windows of %d s (median [min-max]):%n",
                ours.size(), WINDOW.toSeconds());
        System.out.printf("%-34s %24s %24s%n", "figure", "gsbridge", "kdeconnectd 22.12");
        row("wake-ups (context switches) /s", ours, theirs, i -> i.window().wakeupsPerSecond(), "%.2f");
        row("CPU ms/min", ours, theirs, i -> i.window().cpuMillisPerMinute(), "%.1f");
        row("RSS MiB", ours, theirs, i -> i.rssKiB() / 1024.0, "%.1f");
        System.out.println("gsbridge's threads that woke, last window: " + ours.get(ours.size() - 1).window().busiest(12));
        List<double[]> loads = starts.subList(Math.min(1, starts.size() - 1), starts.size());
        System.out.printf("start to ports bound, identity loaded (%d runs): %s s; first run, new identity: %.2f s%n",
                loads.size(), summary(loads.stream().mapToDouble(s -> s[0]).toArray(), "%.2f"), starts.get(0)[0]);
        System.out.printf("start to D-Bus name owned (%d runs): %s s; first run: %.2f s%n", loads.size(),
                summary(loads.stream().mapToDouble(s -> s[1]).toArray(), "%.2f"), starts.get(0)[1]);
        System.out.printf("receiving %d MiB from kdeconnectd: %.0f MB/s, peak RSS %.0f MiB, peak heap used %.0f MiB"
                + " (sampled every 0.5 s)%n", bytes >> 20, receiving[0], receiving[1] / 1024, receiving[2] / 1024);
    }

    private static void row(String figure, List<Idle> ours, List<Idle> theirs, ToDoubleFunction<Idle> value,
                            String format) {
        System.out.printf("%-34s %24s %24s%n", figure,
                summary(ours.stream().mapToDouble(value).toArray(), format),
                summary(theirs.stream().mapToDouble(value).toArray(), format));
    }

    static String summary(double[] values, String format) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return String.format(format + " [" + format + "-" + format + "]", median, sorted[0], sorted[sorted.length - 1]);
    }

    /** PATH, and HOME when given; GSBRIDGE_JAVA_OPTS from gsbridge.child.jvmArgs when that is set. */
    private static Map<String, String> launcherEnvironment(Path home) {
        Map<String, String> env = new HashMap<>();
        if (home != null) {
            env.put("HOME", home.toString());
        }
        String jvmArgs = System.getProperty("gsbridge.child.jvmArgs", "").strip();
        if (!jvmArgs.isEmpty()) {
            env.put("GSBRIDGE_JAVA_OPTS", jvmArgs);
        }
        return env;
    }

    /** Heap in use according to the JVM itself (jcmd GC.heap_info), in KiB. */
    private static long heapUsedKiB(long pid) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor();
        Matcher used = HEAP_USED.matcher(output);
        return used.find() ? Long.parseLong(used.group(1)) : 0;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
