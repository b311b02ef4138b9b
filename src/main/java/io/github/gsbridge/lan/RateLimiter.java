package io.github.gsbridge.lan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most one event per key per interval. The table is bounded (least recently seen keys are
 * forgotten), so a flood of fake device ids cannot grow it without limit.
 */
final class RateLimiter {
    private final long intervalNanos;
    private final Map<Object, Long> lastSeen;

    RateLimiter(long intervalMillis, int capacity) {
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.lastSeen = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True when the event for this key may happen now (and records it). */
    synchronized boolean tryAcquire(Object key) {
        long now = System.nanoTime();
        Long previous = lastSeen.get(key);
        if (previous != null && now - previous < intervalNanos) {
            return false;
        }
        lastSeen.put(key, now);
        return true;
    }
}
