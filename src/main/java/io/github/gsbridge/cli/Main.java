package io.github.gsbridge.cli;

import io.github.gsbridge.logging.EscapingServiceProvider;
import io.github.gsbridge.plugin.CommandFailure;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.List;

/** Entry point of the {@code gsbridge} command: the daemon, and the clients that talk to it over D-Bus. */
public final class Main {
    private Main() {}

    public static void main(String[] argv) {
        EscapingServiceProvider.select();
        System.exit(run(Arrays.asList(argv), Console.system()));
    }

    /** Runs one command line; returns the exit status (0 done, 1 failed, 2 usage mistake). */
    static int run(List<String> args, Console console) {
        if (!args.isEmpty() && args.get(0).equals("daemon")) {
            // The daemon runs all day: it does not load the command line's model (picocli, every
            // plugin's commands) only to find its own options, which it parses itself.
            return DaemonCommand.run(args.subList(1, args.size()), console);
        }
        try (Gsbridge root = new Gsbridge(console)) {
            CommandLine line = Gsbridge.commandLine(root);
            line.setOut(new java.io.PrintWriter(console.out(), true));
            line.setErr(new java.io.PrintWriter(console.err(), true));
            line.setParameterExceptionHandler((e, argv) -> {
                CommandLine command = e.getCommandLine();
                console.err().println(name(command) + ": " + problem(e) + "\n");
                command.usage(console.err());
                return 2;
            });
            line.setExecutionExceptionHandler((e, command, parsed) -> {
                if (e instanceof CommandFailure || e instanceof DBusExecutionException) {
                    console.err().println(name(command) + ": " + e.getMessage());
                    return 1;
                }
                throw e;
            });
            return line.execute(args.toArray(String[]::new));
        }
    }

    /** picocli's account of a usage mistake, in the words of the rest of the command line. */
    static String problem(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            boolean root = e.getCommandLine().getParent() == null;
            return (first.startsWith("-") ? "unknown option \"" : root ? "unknown command \"" : "unexpected argument \"")
                    + first + "\"";
        }
        String message = e.getMessage().replaceFirst("^Error: ", "");
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    /** "gsbridge share", as messages name the command. */
    private static String name(CommandLine command) {
        return command.getCommandSpec().qualifiedName();
    }
}
