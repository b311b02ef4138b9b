package io.github.gsbridge.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two network namespaces ("hosts") joined by a veth pair: {@code 10.231.X.1/24} in {@link #nsA()}
 * and {@code 10.231.X.2/24} in {@link #nsB()}, with a random X per pair. Each namespace has
 * {@code lo} up and a host route for {@code 255.255.255.255} over its veth, because a fresh
 * namespace has no default route and a broadcast {@code sendto} would fail with ENETUNREACH.
 *
 * <p>Nothing is configured in the root namespace: the veth ends are created directly inside the
 * namespaces. Names are {@code gsbridge-<jvm pid>-<n>-a|b}; {@link #create()} first removes pairs
 * left over by JVMs that no longer run ({@link #cleanupStale()}). {@link #close()} kills every
 * process still in the namespaces and deletes them (which deletes the veth). A shutdown hook closes
 * pairs a test forgot.
 *
 * <p>Requires root and {@code ip} (iproute2); callers should check {@link RealComponents#requireRoot()}.
 */
public final class NamespacePair implements AutoCloseable {
    private static final String PREFIX = "gsbridge-";
    private static final Pattern OUR_NAMESPACE = Pattern.compile("^" + PREFIX + "(\\d+)-(\\d+)-[ab]$");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);

    private final String nsA;
    private final String nsB;
    private final String vethA;
    private final String vethB;
    private final String addressA;
    private final String addressB;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private NamespacePair(String nsA, String nsB, String vethA, String vethB, String addressA, String addressB) {
        this.nsA = nsA;
        this.nsB = nsB;
        this.vethA = vethA;
        this.vethB = vethB;
        this.addressA = addressA;
        this.addressB = addressB;
        this.shutdownHook = new Thread(this::closeQuietly, "close-" + nsA);
    }

    /** Creates a fresh pair (after removing stale ones from dead JVMs). */
    public static NamespacePair create() {
        cleanupStale();
        long pid = ProcessHandle.current().pid();
        int n = COUNTER.incrementAndGet();
        String base = PREFIX + pid + "-" + n;
        // interface names are limited to 15 characters
        String veth = "gsb" + Long.toString(pid, 36) + "x" + Integer.toString(n, 36);
        if (veth.length() > 14) {
            veth = veth.substring(veth.length() - 14);
        }
        int octet = ThreadLocalRandom.current().nextInt(16, 250);
        NamespacePair pair = new NamespacePair(base + "-a", base + "-b", veth + "a", veth + "b",
                "10.231." + octet + ".1", "10.231." + octet + ".2");
        try {
            pair.setUp();
        } catch (RuntimeException | Error e) {
            pair.closeQuietly();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(pair.shutdownHook);
        return pair;
    }

    private void setUp() {
        ip("netns", "add", nsA);
        ip("netns", "add", nsB);
        // both ends are born inside their namespaces: nothing appears in the root namespace
        ip("link", "add", vethA, "netns", nsA, "type", "veth", "peer", "name", vethB, "netns", nsB);
        configure(nsA, vethA, addressA);
        configure(nsB, vethB, addressB);
    }

    private static void configure(String ns, String veth, String address) {
        ip("-n", ns, "link", "set", "lo", "up");
        ip("-n", ns, "addr", "add", address + "/24", "dev", veth);
        ip("-n", ns, "link", "set", veth, "up");
        ip("-n", ns, "route", "add", "255.255.255.255/32", "dev", veth);
    }

    public String nsA() {
        return nsA;
    }

    public String nsB() {
        return nsB;
    }

    public String addressA() {
        return addressA;
    }

    public String addressB() {
        return addressB;
    }

    public String vethA() {
        return vethA;
    }

    public String vethB() {
        return vethB;
    }

    /** The address of the given namespace (one of {@link #nsA()}, {@link #nsB()}). */
    public String address(String ns) {
        if (ns.equals(nsA)) {
            return addressA;
        }
        if (ns.equals(nsB)) {
            return addressB;
        }
        throw new IllegalArgumentException("not one of this pair's namespaces: " + ns);
    }

    /** The other namespace of the pair. */
    public String other(String ns) {
        return address(ns).equals(addressA) ? nsB : nsA;
    }

    /** {@code ip netns exec NS}: prepend to a command to run it inside {@code ns}. */
    public List<String> execPrefix(String ns) {
        return execPrefixFor(ns);
    }

    /** {@code ip netns exec NS} for any namespace name. */
    public static List<String> execPrefixFor(String ns) {
        return List.of("ip", "netns", "exec", ns);
    }

    /** Runs a one-shot command inside {@code ns} with the JVM's environment. */
    public ManagedProcess.Result exec(String ns, Duration timeout, String... command) {
        List<String> full = new ArrayList<>(execPrefix(ns));
        full.addAll(List.of(command));
        return ManagedProcess.run(full, null, timeout);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down, or never registered
        }
        destroy(nsA);
        destroy(nsB);
    }

    private void closeQuietly() {
        try {
            closed = true;
            destroy(nsA);
            destroy(nsB);
        } catch (RuntimeException | Error e) {
            // best effort
        }
    }

    /** Kills all processes in {@code ns} (TERM, then KILL) and deletes it; tolerates a missing namespace. */
    static void destroy(String ns) {
        if (!exists(ns)) {
            return;
        }
        killAll(ns, "TERM");
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!livePids(ns).isEmpty() && System.nanoTime() < deadline) {
            ManagedProcess.pause(50);
        }
        if (!livePids(ns).isEmpty()) {
            killAll(ns, "KILL");
        }
        ManagedProcess.Result result = ManagedProcess.run(List.of("ip", "netns", "del", ns), null, IP_TIMEOUT);
        if (!result.ok() && exists(ns)) {
            throw new AssertionError("cannot delete namespace " + ns + ": " + result);
        }
    }

    private static void killAll(String ns, String signal) {
        List<String> pids = livePids(ns);
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        command.addAll(pids);
        ManagedProcess.run(command, null, IP_TIMEOUT);
    }

    /** Pids in {@code ns} that are not zombies (a zombie has exited; its parent just has not reaped it yet). */
    private static List<String> livePids(String ns) {
        ManagedProcess.Result result = ManagedProcess.run(List.of("ip", "netns", "pids", ns), null, IP_TIMEOUT);
        List<String> pids = new ArrayList<>();
        for (String pid : result.stdout().split("\\s+")) {
            if (pid.isBlank()) {
                continue;
            }
            ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(handle -> {
                if (!isZombie(handle.pid())) {
                    pids.add(String.valueOf(handle.pid()));
                }
            });
        }
        return pids;
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", String.valueOf(pid), "stat"));
            // "pid (comm) S ..." - comm may contain spaces and parentheses; the state follows the last ')'
            int close = stat.lastIndexOf(')');
            return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'Z';
        } catch (java.io.IOException e) {
            return true; // gone
        }
    }

    private static boolean exists(String ns) {
        return listNamespaces().contains(ns);
    }

    private static List<String> listNamespaces() {
        ManagedProcess.Result result = ManagedProcess.run(List.of("ip", "netns", "list"), null, IP_TIMEOUT);
        List<String> names = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty()) {
                names.add(trimmed.split("\\s+")[0]); // "name (id: 3)"
            }
        }
        return names;
    }

    /**
     * Deletes namespaces named {@code gsbridge-<pid>-...} whose creating JVM is no longer running
     * (left behind by a crashed or killed test run), killing the processes in them first.
     */
    public static void cleanupStale() {
        for (String ns : listNamespaces()) {
            Matcher m = OUR_NAMESPACE.matcher(ns);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)
                    == Boolean.FALSE) {
                try {
                    destroy(ns);
                } catch (AssertionError e) {
                    System.err.println("[NamespacePair] could not remove stale " + ns + ": " + e.getMessage());
                }
            }
        }
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        ManagedProcess.run(command, null, IP_TIMEOUT).assertOk(String.join(" ", command));
    }

    @Override
    public String toString() {
        return nsA + " (" + addressA + ") <-> " + nsB + " (" + addressB + ")";
    }
}
