package io.github.gsbridge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.gsbridge.daemon.PluginCatalog;
import io.github.gsbridge.plugin.ClientContext;
import io.github.gsbridge.plugin.CommandFailure;
import io.github.gsbridge.plugin.DaemonClient;
import io.github.gsbridge.plugin.PluginModule;
import io.github.gsbridge.plugin.WatchFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The {@code gsbridge} command: its own subcommands and every plugin's, help and completion made
 * from their declarations. Subcommands reach the console and the daemon through it.
 */
@Command(name = "gsbridge", mixinStandardHelpOptions = true, versionProvider = Gsbridge.Version.class,
        sortOptions = false,
        description = {"KDE Connect for GNOME, with GSConnect's pairings.", "",
                "DEV is a device's name, any case, a unique beginning of it, or its id. All commands but daemon and "
                        + "doctor talk to the running daemon over the D-Bus session bus."},
        footer = {"", "Exit status: 0 done, 1 failed, 2 usage error. COMMAND --help for details."})
final class Gsbridge implements ClientContext, Callable<Integer>, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Console console;
    private BusClient daemon;

    Gsbridge(Console console) {
        this.console = console;
    }

    /** The whole command line: ours, then each plugin's commands in the catalog's order. */
    static CommandLine commandLine(Gsbridge root) {
        CommandLine line = new CommandLine(root);
        for (Class<?> command : Commands.CORE) {
            line.addSubcommand(command);
        }
        for (PluginModule module : PluginCatalog.MODULES) {
            module.commands().forEach(line::addSubcommand);
        }
        line.addSubcommand(new CompletionCommand());
        line.getSubcommands().values().forEach(sub -> sub.getCommandSpec().mixinStandardHelpOptions(true));
        // The daemon's options are its own (DaemonOptions), and so is its --help.
        line.addSubcommand(new DaemonCommand());
        return line;
    }

    static List<WatchFormat> watchFormats() {
        return PluginCatalog.MODULES.stream().map(PluginModule::watch).toList();
    }

    /** {@code gsbridge} alone: the usage, as for any usage mistake. */
    @Override
    public Integer call() {
        CommandLine.usage(this, console.err());
        return 2;
    }

    Console console() {
        return console;
    }

    @Override
    public PrintStream out() {
        return console.out();
    }

    @Override
    public PrintStream err() {
        return console.err();
    }

    @Override
    public Map<String, String> env() {
        return console.env();
    }

    @Override
    public boolean terminal() {
        return console.terminal();
    }

    @Override
    public Path workingDir() {
        return console.workingDir();
    }

    @Override
    public DaemonClient daemon() throws CommandFailure {
        if (daemon == null) {
            daemon = BusClient.open(console.env());
        }
        return daemon;
    }

    @Override
    public void printJson(Object value) throws CommandFailure {
        try {
            console.out().println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new CommandFailure("cannot write JSON: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** The project version Maven wrote into version.properties at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gsbridge " + version()};
        }

        static String version() {
            Properties properties = new Properties();
            try (InputStream in = Gsbridge.class.getResourceAsStream("/io/github/gsbridge/version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                // reported below as unknown
            }
            return properties.getProperty("version", "(version unknown: built without Maven)");
        }
    }
}
