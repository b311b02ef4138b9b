package io.github.gsbridge.testsupport;

import java.time.Duration;
import java.util.function.LongSupplier;

/** Waits for a writer to block: the count of what it wrote has moved, then stopped moving. */
public final class Stall {
    private static final Duration STILL_FOR = Duration.ofMillis(500);

    private Stall() {}

    /** Returns once {@code written} is above zero and unchanged for half a second. */
    public static void await(LongSupplier written, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            Thread.sleep(STILL_FOR.toMillis());
            long now = written.getAsLong();
            if (now == last && now > 0) {
                return;
            }
            last = now;
        }
        throw new AssertionError(what + " never blocked: " + written.getAsLong() + " went through");
    }
}
