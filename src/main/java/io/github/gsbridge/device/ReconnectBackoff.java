package io.github.gsbridge.device;

import java.time.Duration;
import java.time.Instant;

/**
 * When to ask an absent paired device to connect again. Its last address may belong to someone
 * else by now (DHCP, a reinstalled PC), and a peer that cannot link with us answers every request
 * with a failing handshake: the interval grows from seconds to minutes and starts over once the
 * device is back.
 */
final class ReconnectBackoff {
    static final Duration FIRST = Duration.ofSeconds(5);
    static final Duration LONGEST = Duration.ofMinutes(5);

    private Duration interval = FIRST;
    private Instant next = Instant.MIN;

    synchronized boolean due(Instant now) {
        return !now.isBefore(next);
    }

    synchronized void attempted(Instant now) {
        next = now.plus(interval);
        Duration doubled = interval.multipliedBy(2);
        interval = doubled.compareTo(LONGEST) > 0 ? LONGEST : doubled;
    }

    synchronized void reset() {
        interval = FIRST;
        next = Instant.MIN;
    }
}
