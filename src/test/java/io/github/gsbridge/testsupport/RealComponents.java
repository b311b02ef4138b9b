package io.github.gsbridge.testsupport;

import org.opentest4j.TestAbortedException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gate for tests that need a real program (kdeconnectd, dconf, dbus-daemon, root for namespaces).
 * Outside CI a missing component skips the test with the reason; with {@code CI=true} it fails,
 * because a skipped real-peer test must never be counted as a pass there.
 */
public final class RealComponents {
    private RealComponents() {}

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        String message = what + " is required by this test (see README: Tests)";
        if (inCi()) {
            throw new AssertionError(message + "; CI=true, so this is a failure, not a skip");
        }
        throw new TestAbortedException(message);
    }

    public static void requireExecutable(String path) {
        require(Files.isExecutable(Path.of(path)), path);
    }

    public static void requireRoot() {
        require("root".equals(System.getProperty("user.name")), "root (to create network namespaces)");
    }

    /** Finds a program on PATH, or reports it missing through {@link #require}. */
    public static String requireOnPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        require(false, program + " on PATH");
        return program;
    }
}
