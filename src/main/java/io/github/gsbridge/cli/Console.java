package io.github.gsbridge.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command talks to: its output streams, its environment (for the session bus address),
 * whether stdout is a terminal (progress bars), and the directory relative file names start from.
 */
record Console(PrintStream out, PrintStream err, Map<String, String> env, boolean terminal, Path workingDir) {
    static Console system() {
        return new Console(System.out, System.err, System.getenv(), System.console() != null,
                Path.of("").toAbsolutePath());
    }
}
