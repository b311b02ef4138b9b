package io.github.gsbridge.plugin;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The command line as a command sees it: where it prints, its environment, and the running daemon.
 * The {@code gsbridge} command implements it; subcommands reach it through picocli's
 * {@code @ParentCommand}.
 */
public interface ClientContext {
    PrintStream out();

    PrintStream err();

    Map<String, String> env();

    /** Whether stdout is a terminal (progress bars, colours). */
    boolean terminal();

    /** Where relative file names start from. */
    Path workingDir();

    /** The running daemon on the session bus; fails in the user's words when it does not run. */
    DaemonClient daemon() throws CommandFailure;

    /** Prints {@code value} as indented JSON, for --json. */
    void printJson(Object value) throws CommandFailure;
}
