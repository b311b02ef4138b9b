package io.github.gsbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dbus-monitor} on a private bus, to observe what a daemon sends there, in particular the
 * {@code org.freedesktop.Notifications.Notify} calls kdeconnectd makes when a peer pings it or sends
 * a notification. It only observes: nothing owns {@code org.freedesktop.Notifications}, so the bus
 * answers those calls with ServiceUnknown (kdeconnectd 22.12 does not mind; it logs
 * {@code Could not query capabilities from notifications server} at start).
 *
 * <p>Runs in the root namespace: a {@code unix:path=} bus is reachable from every namespace.
 */
public final class BusMonitor implements AutoCloseable {
    /** Rule for method calls to the notification server. */
    public static final String NOTIFICATIONS = "type='method_call',interface='org.freedesktop.Notifications'";

    private static final Pattern NOTIFY_HEADER =
            Pattern.compile("^method call .*interface=org\\.freedesktop\\.Notifications; member=Notify$");
    private static final Pattern STRING_ARG = Pattern.compile("^\\s+string \"(.*)\"$", Pattern.DOTALL);
    private static final Pattern UINT_ARG = Pattern.compile("^\\s+uint32 (\\d+)$");

    private final ManagedProcess process;

    private BusMonitor(ManagedProcess process) {
        this.process = process;
    }

    /** Starts {@code dbus-monitor --address busAddress rules...} and waits until it monitors. */
    public static BusMonitor start(String busAddress, Path logFile, String... matchRules) {
        String monitor = RealComponents.requireOnPath("dbus-monitor");
        List<String> command = new ArrayList<>(List.of(monitor, "--address", busAddress));
        command.addAll(List.of(matchRules));
        ManagedProcess process;
        try {
            process = ManagedProcess.start("dbus-monitor", command, Map.of("PATH", "/usr/bin:/bin"), null, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // BecomeMonitor drops the monitor's unique name: it then gets NameLost for it
            process.waitForLine(Pattern.compile("member=NameLost"), Duration.ofSeconds(10));
        } catch (AssertionError e) {
            process.close();
            throw e;
        }
        return new BusMonitor(process);
    }

    /** Monitors the notification server interface on {@code peer}'s bus; log in {@code peer.dir()}. */
    public static BusMonitor notifications(KdeConnectPeer peer) {
        return start(peer.busAddress(), peer.dir().resolve("dbus-monitor.log"), NOTIFICATIONS);
    }

    public ManagedProcess process() {
        return process;
    }

    /** An {@code org.freedesktop.Notifications.Notify} call (the first five arguments). */
    public record Notification(String appName, long replacesId, String appIcon, String summary, String body) {}

    /** All Notify calls seen so far. */
    public List<Notification> notifications() {
        return parse(process.lines());
    }

    /** Waits for a Notify call matching {@code filter}; throws with the monitor's log tail on timeout. */
    public Notification awaitNotification(Predicate<Notification> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean ended = false;
        while (true) {
            int seen = process.mark();
            for (Notification n : parse(process.lines())) {
                if (filter.test(n)) {
                    return n;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || ended) {
                throw new AssertionError("no matching Notify call within " + timeout
                        + (ended ? " (dbus-monitor output ended)" : "") + "; seen: " + notifications()
                        + "\n--- dbus-monitor tail ---\n" + process.tail(40));
            }
            if (!process.awaitMoreLines(seen, Duration.ofNanos(left))) {
                ended = !process.isAlive();
            }
        }
    }

    static List<Notification> parse(List<String> lines) {
        List<Notification> result = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!NOTIFY_HEADER.matcher(lines.get(i)).matches()) {
                continue;
            }
            List<String> args = new ArrayList<>();
            int j = i + 1;
            while (args.size() < 5 && j < lines.size()) {
                String line = lines.get(j++);
                if (line.startsWith("   string \"") && !line.endsWith("\"")) {
                    // a string with newlines: dbus-monitor prints them raw; join until the closing quote
                    StringBuilder joined = new StringBuilder(line);
                    while (j < lines.size() && !joined.toString().endsWith("\"")) {
                        joined.append('\n').append(lines.get(j++));
                    }
                    line = joined.toString();
                }
                Matcher s = STRING_ARG.matcher(line);
                Matcher u = UINT_ARG.matcher(line);
                if (s.matches()) {
                    args.add(s.group(1));
                } else if (u.matches()) {
                    args.add(u.group(1));
                } else {
                    break;
                }
            }
            if (args.size() == 5) {
                result.add(new Notification(args.get(0), Long.parseLong(args.get(1)), args.get(2), args.get(3),
                        args.get(4)));
            }
        }
        return result;
    }

    @Override
    public void close() {
        process.close();
    }
}
