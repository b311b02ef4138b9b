package io.github.gsbridge.threads;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads gsbridge starts. All are daemon threads: the daemon stops by closing what it
 * opened, and a thread someone forgot to stop must not keep the JVM (or a test run) alive.
 * Names are what logs and thread dumps show, so each says what the thread is for.
 */
public final class Threads {
    private Threads() {}

    /** Daemon threads all named {@code name}: for a single-thread executor, or a pool whose threads do the same job. */
    public static ThreadFactory daemon(String name) {
        return runnable -> create(runnable, name);
    }

    /** Daemon threads named {@code name-1}, {@code name-2}…, to tell the threads of one pool apart. */
    public static ThreadFactory numbered(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> create(runnable, name + "-" + count.incrementAndGet());
    }

    /** Starts {@code body} on a new daemon thread named {@code name}. */
    public static Thread start(String name, Runnable body) {
        Thread thread = create(body, name);
        thread.start();
        return thread;
    }

    private static Thread create(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
