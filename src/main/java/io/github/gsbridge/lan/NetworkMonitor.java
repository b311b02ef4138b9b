package io.github.gsbridge.lan;

import io.github.gsbridge.threads.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells when the network changed in a way that may bring new peers within reach: an interface
 * came up, or an interface got a new IPv4 address (Wi-Fi joined, a VPN or Tailscale started).
 *
 * <p>The kernel reports these as rtnetlink messages. Java cannot open a netlink socket without
 * native code, so {@code ip -o monitor link address} (iproute2, present wherever Linux networking
 * is) reads them for us and prints one line per event: the daemon blocks on that pipe and wakes
 * only when something happens, with no polling. NetworkManager's D-Bus signals would say the same
 * on some desktops only (not with systemd-networkd, ifupdown, or in a network namespace).
 */
public final class NetworkMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkMonitor.class);
    /** Events come in bursts (link up, then its addresses); one reaction per burst. */
    private static final long SETTLE_MS = 1000;
    private static final List<String> SEARCH = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");

    private final Process process;
    private final ScheduledExecutorService timers;
    private final Runnable onChange;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean closed;

    private NetworkMonitor(Process process, ScheduledExecutorService timers, Runnable onChange) {
        this.process = process;
        this.timers = timers;
        this.onChange = onChange;
        Threads.start("network-monitor", this::read);
    }

    /**
     * Starts following the network; {@code onChange} runs on {@code timers} about a second after
     * each burst of changes. Empty (and logged) where {@code ip} cannot be run.
     */
    public static Optional<NetworkMonitor> start(ScheduledExecutorService timers, Runnable onChange) {
        Optional<Path> ip = ipCommand();
        if (ip.isEmpty()) {
            LOG.info("no \"ip\" program (iproute2): network changes are not followed; peers are announced to "
                    + "at start-up and when asked");
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder(ip.get().toString(), "-o", "monitor", "link", "address")
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            return Optional.of(new NetworkMonitor(process, timers, onChange));
        } catch (IOException e) {
            LOG.info("cannot follow network changes ({}): peers are announced to at start-up and when asked",
                    e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<Path> ipCommand() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(SEARCH);
        return dirs.stream().filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "ip"))
                .filter(Files::isExecutable).findFirst();
    }

    /** Whether a line of {@code ip -o monitor link address} means new reach: a link up, or a new IPv4 address. */
    static boolean bringsReach(String line) {
        if (line.startsWith("Deleted")) {
            return false;
        }
        if (line.contains(" inet ")) {
            return true;
        }
        int flags = line.indexOf('<');
        int end = line.indexOf('>', flags + 1);
        if (flags < 0 || end < 0) {
            return false;
        }
        List<String> set = List.of(line.substring(flags + 1, end).split(","));
        return set.contains("UP") && set.contains("LOWER_UP");
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (bringsReach(line)) {
                    LOG.debug("network change: {}", line);
                    if (pending.compareAndSet(false, true)) {
                        timers.schedule(this::fire, SETTLE_MS, TimeUnit.MILLISECONDS);
                    }
                }
            }
        } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
            // Closing, or the daemon is stopping.
        }
        if (!closed) {
            // Usually the stop of the whole daemon: Ctrl-C and systemd signal every process of it.
            LOG.debug("\"ip monitor\" ended: network changes are no longer followed");
        }
    }

    private void fire() {
        pending.set(false);
        onChange.run();
    }

    @Override
    public void close() {
        closed = true;
        process.destroy();
    }
}
