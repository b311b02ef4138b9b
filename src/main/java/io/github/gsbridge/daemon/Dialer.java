package io.github.gsbridge.daemon;

import io.github.gsbridge.threads.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends our identity to devices at known addresses (the user's remembered ones, peers found
 * through mDNS, paired devices that went away) until they link to us: at once, then every 5 s
 * for a minute (a device restarting or a daemon handing over comes back within that), then
 * after 10 s, 20 s ... up to every 5 minutes, so that an address that now belongs to someone else,
 * or a peer that can never link with us, is not asked all day. A network change starts every
 * target over at once. A target that is linked is only looked at again every 5 minutes, so an
 * idle daemon wakes up rarely.
 *
 * <p>Everything runs on one thread of its own: a host name lookup that hangs (a VPN's DNS
 * server gone) delays only the dialling, never the daemon's other timers.
 */
final class Dialer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dialer.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    /** Tries at {@link #FIRST_RETRY} before the waits start to double. */
    static final int STEADY_TRIES = 12;
    static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

    /** A place to dial. */
    interface Target {
        /** For the log: the address as the user gave it, or the device mDNS named. */
        String label();

        /** Looks the address up now (names may move). */
        InetAddress resolve() throws UnknownHostException;

        /** The discovery port there. */
        int port();

        /** Whether a device at {@code address} is linked to us already (then nothing is sent). */
        boolean linked(InetAddress address);
    }

    /** Sends our identity; called on the dialler's thread. */
    interface Sender {
        /** Whether we hold the ports; while we do not, nothing is tried (taking them redials everything). */
        boolean active();

        void send(InetAddress address, int port);
    }

    private final Sender sender;
    private final ScheduledExecutorService thread;
    /** Only touched on {@link #thread}. */
    private final Map<String, Dial> dials = new LinkedHashMap<>();

    Dialer(Sender sender) {
        this.sender = sender;
        this.thread = Executors.newSingleThreadScheduledExecutor(Threads.daemon("dialer"));
    }

    /** Dials {@code target} unless a target under the same key is dialled already. */
    void addIfAbsent(String key, Target target) {
        run(() -> {
            if (!dials.containsKey(key)) {
                Dial dial = new Dial(target);
                dials.put(key, dial);
                dial.now("new");
            }
        });
    }

    /** Dials {@code target} now and then until it links; replaces any target under the same key. */
    void add(String key, Target target) {
        replace(key, target, true);
    }

    /**
     * As {@link #add}, but the first try comes after {@link #FIRST_RETRY}: for a device that has
     * just left, which would not answer at once, and which may well be reconnecting by itself.
     */
    void addAfterFirstRetry(String key, Target target) {
        replace(key, target, false);
    }

    private void replace(String key, Target target, boolean now) {
        run(() -> {
            Dial previous = dials.remove(key);
            if (previous != null) {
                previous.cancel();
            }
            Dial dial = new Dial(target);
            dials.put(key, dial);
            if (now) {
                dial.now("new");
            } else {
                dial.later();
            }
        });
    }

    void remove(String key) {
        run(() -> {
            Dial dial = dials.remove(key);
            if (dial != null) {
                dial.cancel();
            }
        });
    }

    /** Dials every target now and restarts its back-off (the network changed, or we took the ports). */
    void redialAll(String reason) {
        run(() -> dials.values().forEach(dial -> dial.now(reason)));
    }

    private void run(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("dialler closed; dropped a task");
        }
    }

    private final class Dial {
        private final Target target;
        private int failures;
        private ScheduledFuture<?> next;

        Dial(Target target) {
            this.target = target;
        }

        void now(String reason) {
            cancel();
            failures = 0;
            attempt(reason);
        }

        void later() {
            cancel();
            failures = 0;
            schedule(FIRST_RETRY);
        }

        void cancel() {
            if (next != null) {
                next.cancel(false);
                next = null;
            }
        }

        private void attempt(String reason) {
            if (!sender.active()) {
                return;
            }
            Duration wait;
            try {
                InetAddress address = target.resolve();
                if (target.linked(address)) {
                    failures = 0;
                    wait = LONGEST_WAIT;
                } else {
                    (failures == 0 ? LOG.atInfo() : LOG.atDebug()).log("sending our identity to {} ({}:{}; {})",
                            target.label(), address.getHostAddress(), target.port(), reason);
                    sender.send(address, target.port());
                    wait = backOff();
                }
            } catch (UnknownHostException e) {
                (failures == 0 ? LOG.atInfo() : LOG.atDebug()).log("cannot look up {}: {}", target.label(),
                        e.getMessage());
                wait = backOff();
            } catch (RuntimeException e) {
                LOG.warn("dialling {} failed", target.label(), e);
                wait = backOff();
            }
            schedule(wait);
        }

        private void schedule(Duration wait) {
            try {
                next = thread.schedule(() -> attempt("retry"), wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Closing.
            }
        }

        private Duration backOff() {
            return waitAfter(++failures);
        }
    }

    /** How long to wait after {@code failures} tries in a row that did not link. */
    static Duration waitAfter(int failures) {
        int doublings = Math.max(0, Math.min(failures - STEADY_TRIES, 10));
        Duration wait = FIRST_RETRY.multipliedBy(1L << doublings);
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
