package io.github.gsbridge.lan;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells the log why incoming connections from an address fail, once per change: the first
 * failure with its reason; then, when the failures stop or their reason changes, how many more
 * there were. A host that retries every few seconds (a phone that no longer trusts us, a peer
 * speaking another protocol) or floods us would otherwise write the same line to the journal at
 * every attempt, burying everything else.
 */
final class HandshakeFailures {
    private static final Logger LOG = LoggerFactory.getLogger(LanLinkProvider.class);
    /** Addresses followed at once; beyond, the one failing longest ago is summed up and forgotten. */
    private static final int CAPACITY = 1024;

    /** Failures from one address for one reason, the first of them logged. */
    private static final class Streak {
        final String reason;
        final long firstNanos;
        long lastNanos;
        int repeats;

        Streak(String reason, long now) {
            this.reason = reason;
            this.firstNanos = now;
            this.lastNanos = now;
        }
    }

    private final long quietNanos;
    private final Map<InetAddress, Streak> streaks = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Streak> eldest) {
            if (size() <= CAPACITY) {
                return false;
            }
            summarize(eldest.getKey(), eldest.getValue());
            return true;
        }
    };

    /** @param quiet how long an address must stay without failures for its streak to be over */
    HandshakeFailures(Duration quiet) {
        this.quietNanos = quiet.toNanos();
    }

    synchronized void failed(InetAddress address, String reason) {
        long now = System.nanoTime();
        Streak streak = streaks.get(address);
        if (streak != null && streak.reason.equals(reason)) {
            streak.repeats++;
            streak.lastNanos = now;
            LOG.debug("refused incoming connection from {} again: {}", address.getHostAddress(), reason);
            return;
        }
        if (streak != null) {
            summarize(address, streak);
        }
        LOG.info("refused incoming connection from {}: {}", address.getHostAddress(), reason);
        streaks.put(address, new Streak(reason, now));
    }

    /** A handshake from {@code address} succeeded: its failures, if any, are over. */
    synchronized void succeeded(InetAddress address) {
        Streak streak = streaks.remove(address);
        if (streak != null) {
            summarize(address, streak);
        }
    }

    /** Ends the streaks of addresses that have not failed for the quiet time; true while streaks remain. */
    synchronized boolean sweep() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<InetAddress, Streak>> it = streaks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetAddress, Streak> entry = it.next();
            if (now - entry.getValue().lastNanos >= quietNanos) {
                summarize(entry.getKey(), entry.getValue());
                it.remove();
            }
        }
        return !streaks.isEmpty();
    }

    /** Ends every streak, as when the listener closes. */
    synchronized void flush() {
        streaks.forEach(HandshakeFailures::summarize);
        streaks.clear();
    }

    private static void summarize(InetAddress address, Streak streak) {
        if (streak.repeats == 0) {
            return;
        }
        long seconds = Math.max(1, Duration.ofNanos(streak.lastNanos - streak.firstNanos).toSeconds());
        LOG.info("refused {} more incoming connection{} from {} within {} s for the same reason: {}", streak.repeats,
                streak.repeats == 1 ? "" : "s", address.getHostAddress(), seconds, streak.reason);
    }
}
