package io.github.gsbridge.plugin.runcommand;

import io.github.gsbridge.plugin.CommandFailure;
import io.github.gsbridge.plugin.DeviceCommand;
import io.github.gsbridge.plugin.Plain;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginContext;
import io.github.gsbridge.plugin.PluginModule;
import io.github.gsbridge.plugin.PluginSettings;
import io.github.gsbridge.plugin.WatchFormat;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Run commands: {@code gsbridge run}, {@code gsbridge commands} and io.github.gsbridge.RunCommand1. */
public final class RunCommandModule implements PluginModule {
    @Override
    public String name() {
        return "runcommand";
    }

    @Override
    public Plugin create(PluginContext context) {
        PluginSettings settings = context.settings("runcommand");
        // Without GSConnect the lists keep their own file, which predates the plugins' settings files.
        CommandStore store = settings.fromGsconnect() ? new GsconnectCommandStore(settings)
                : new OwnCommandStore(context.configDir());
        Path home = Path.of(context.environment().getOrDefault("HOME", System.getProperty("user.home")));
        return new RunCommandPlugin(context.events(), store, new CommandRunner(home));
    }

    @Override
    public List<Object> commands() {
        return List.of(new Run(), new Commands());
    }

    /** A command about DEV's lists, which are properties of RunCommand1. */
    abstract static class ListCommand extends DeviceCommand {
        @Option(names = "--json", description = "Prints the list as JSON, for scripts.")
        private boolean json;

        /** key → {name, command}. */
        @SuppressWarnings("unchecked")
        final Map<String, Map<String, Object>> commands(String property) throws CommandFailure {
            return (Map<String, Map<String, Object>>) Plain.of(
                    cli.daemon().properties(target().path(), RunCommand1.NAME).get(property));
        }

        final void print(Map<String, Map<String, Object>> commands, String none) throws CommandFailure {
            if (json) {
                cli.printJson(commands);
            } else if (commands.isEmpty()) {
                cli.out().println(none);
            } else {
                commands.forEach((key, command) -> cli.out().printf("%s  %s  (%s)%n", key, command.get("name"),
                        command.get("command")));
            }
        }
    }

    @Command(name = "run", description = "Runs one of DEV's commands (by its key or name), or lists them with --list.")
    static final class Run extends ListCommand {
        @Option(names = "--list", description = "Lists DEV's commands: key, name and command line.")
        private boolean list;

        @Parameters(arity = "0..1", paramLabel = "KEY", description = "The command's key, or its name.")
        private String key;

        @Override
        protected void run() throws Exception {
            Map<String, Map<String, Object>> commands = commands("RemoteCommands");
            if (list || key == null) {
                print(commands, target().name() + " has sent no commands.");
                return;
            }
            String chosen = choose(commands, key);
            remote(RunCommand1.class).RunRemoteCommand(chosen);
            cli.out().println("Asked " + target().name() + " to run " + commands.get(chosen).get("name") + ".");
        }

        /** A key as given, or the key of the one command of that name. */
        private String choose(Map<String, Map<String, Object>> commands, String given) throws CommandFailure {
            if (commands.containsKey(given)) {
                return given;
            }
            List<String> named = new ArrayList<>();
            commands.forEach((k, command) -> {
                if (given.equals(command.get("name"))) {
                    named.add(k);
                }
            });
            if (named.size() == 1) {
                return named.get(0);
            }
            throw new CommandFailure(named.isEmpty()
                    ? target().name() + " has no command " + given + " (\"gsbridge run -d DEV --list\" lists them)."
                    : target().name() + " has " + named.size() + " commands named " + given + "; give its key.");
        }
    }

    @Command(name = "commands", description = "Lists, adds or removes the commands DEV may run on this computer.")
    static final class Commands extends ListCommand {
        @ArgGroup(exclusive = true)
        private Change change;

        static final class Change {
            @Option(names = "--add", arity = "2", paramLabel = "NAME COMMAND", hideParamSyntax = true,
                    description = "Adds a command: its name, and the command line (quoted) that runs it. May be repeated.")
            private List<String> add;

            @Option(names = "--remove", paramLabel = "KEY", description = "Removes the command with this key.")
            private String remove;
        }

        @Override
        protected void run() throws Exception {
            if (change != null && change.add != null) {
                // picocli gives repeated --add options as one list, two words each
                for (int i = 0; i < change.add.size(); i += 2) {
                    String name = change.add.get(i);
                    String key = remote(RunCommand1.class).AddCommand(name, change.add.get(i + 1));
                    cli.out().println("Added " + name + " (" + key + "): " + target().name() + " may run it now.");
                }
                return;
            }
            if (change != null && change.remove != null) {
                remote(RunCommand1.class).RemoveCommand(change.remove);
                cli.out().println("Removed " + change.remove + ".");
                return;
            }
            print(commands("Commands"), target().name() + " may run no commands here; add one with --add NAME COMMAND.");
        }
    }

    @Override
    public WatchFormat watch() {
        return new WatchFormat() {
            @Override
            public Optional<String> sentence(String who, Map<String, Object> event) {
                if (!"PropertiesChanged".equals(event.get("event")) || !RunCommand1.NAME.equals(event.get("interface"))
                        || !(event.get("remoteCommands") instanceof Map<?, ?> commands)) {
                    return Optional.empty();
                }
                List<String> names = new ArrayList<>();
                commands.values().forEach(c -> names.add(String.valueOf(((Map<?, ?>) c).get("name"))));
                return Optional.of(who + ": offers " + (names.isEmpty() ? "no commands" : "commands " + String.join(", ", names)));
            }
        };
    }
}
