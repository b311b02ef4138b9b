package io.github.gsbridge.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Error} that escapes any thread ends the daemon. Without this an OutOfMemoryError in
 * the accept loop ended only that thread: the daemon stayed on the bus as {@code active} but
 * took no connection, and its service manager, seeing it alive, never restarted it.
 */
public final class FatalErrors {
    /** EX_SOFTWARE from sysexits.h: a failure, so {@code Restart=on-failure} applies. */
    public static final int EXIT_STATUS = 70;

    private FatalErrors() {}

    /** For the daemon process only: it halts the JVM. */
    public static void install() {
        Thread.UncaughtExceptionHandler others = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
            if (!(failure instanceof Error)) {
                if (others != null) {
                    others.uncaughtException(thread, failure);
                } else {
                    LoggerFactory.getLogger(FatalErrors.class).error("thread {} ended by an unexpected error",
                            thread.getName(), failure);
                }
                return;
            }
            try {
                Logger log = LoggerFactory.getLogger(FatalErrors.class);
                log.error("stopping: thread {} failed with {}; the service manager restarts gsbridge",
                        thread.getName(), failure.toString());
            } catch (Throwable ignored) {
                // Out of memory, logging may fail too; stopping matters more than saying why.
            } finally {
                // Not exit(): shutdown hooks wait on threads that may be as stuck as this one was.
                Runtime.getRuntime().halt(EXIT_STATUS);
            }
        });
    }
}
