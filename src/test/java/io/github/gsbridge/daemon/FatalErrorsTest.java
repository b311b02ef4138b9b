package io.github.gsbridge.daemon;

import io.github.gsbridge.testsupport.ManagedProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An Error that ends one of the daemon's threads ends the daemon, so that its service manager
 * restarts it; a RuntimeException that ends a thread is only logged.
 */
class FatalErrorsTest {
    /** Far longer than the process needs to end; it would run this long if the error were ignored. */
    private static final Duration MAIN_RUNS = Duration.ofSeconds(60);

    @Test
    void anOutOfMemoryErrorOnAnyThreadEndsTheProcess() {
        ManagedProcess.Result result = child("error");
        assertFalse(result.timedOut(), "the process kept running after its thread died: " + result);
        assertEquals(FatalErrors.EXIT_STATUS, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("stopping: thread accept-like failed with java.lang.OutOfMemoryError"),
                result.stderr());
    }

    @Test
    void aRuntimeExceptionOnAThreadIsLoggedAndTheProcessGoesOn() {
        ManagedProcess.Result result = child("runtime");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("thread accept-like ended by an unexpected error"), result.stderr());
    }

    private static ManagedProcess.Result child(String failure) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return ManagedProcess.run(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), failure), Map.of(), Duration.ofSeconds(30));
    }

    /** A process that installs the handler, then loses a thread; its main thread would wait on. */
    public static final class Child {
        public static void main(String[] args) throws InterruptedException {
            FatalErrors.install();
            Thread thread = new Thread(() -> {
                if (args[0].equals("error")) {
                    throw new OutOfMemoryError("Java heap space");
                }
                throw new IllegalStateException("a bug");
            }, "accept-like");
            thread.start();
            thread.join();
            if (args[0].equals("error")) {
                Thread.sleep(MAIN_RUNS.toMillis());
            }
        }
    }
}
