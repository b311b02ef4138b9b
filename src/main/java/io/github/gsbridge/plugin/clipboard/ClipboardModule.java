package io.github.gsbridge.plugin.clipboard;

import io.github.gsbridge.plugin.BusInterface;
import io.github.gsbridge.plugin.CommandFailure;
import io.github.gsbridge.plugin.DaemonClient;
import io.github.gsbridge.plugin.DeviceCommand;
import io.github.gsbridge.plugin.Plain;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginContext;
import io.github.gsbridge.plugin.PluginModule;
import io.github.gsbridge.plugin.WatchFormat;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.DBusSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Clipboard: {@code gsbridge clipboard}, {@code io.github.gsbridge.Clipboard1} and its ContentChanged. */
public final class ClipboardModule implements PluginModule {
    @Override
    public String name() {
        return "clipboard";
    }

    @Override
    public Plugin create(PluginContext context) {
        return new ClipboardPlugin(context.events(), new SyncSwitches(context.settings("clipboard")), System::currentTimeMillis);
    }

    @Override
    public List<Object> commands() {
        return List.of(new ClipboardCommand());
    }

    @Command(name = "clipboard", description = {
            "Puts TEXT on DEV's clipboard, or prints DEV's clipboard.",
            "Without TEXT, the text comes from standard input when that is not a terminal "
                    + "(so \"wl-paste --watch gsbridge clipboard -d DEV\" sends each copy); "
                    + "on a terminal, DEV's clipboard is printed."})
    static final class ClipboardCommand extends DeviceCommand {
        /** Where the command's standard input is, to tell a keyboard from a pipe. */
        static final Path STDIN = Path.of("/proc/self/fd/0");

        @Parameters(paramLabel = "TEXT", arity = "0..*",
                description = "Words of the text; \"-\" reads it from standard input.")
        private List<String> words = List.of();

        @Option(names = "--get", description = "Prints DEV's clipboard, whatever standard input is.")
        private boolean get;

        @Option(names = "--watch", description = "Prints DEV's clipboard each time DEV copies new text; "
                + "Ctrl-C stops.")
        private boolean watch;

        @Option(names = {"-0", "--null"}, description = "Ends each printed text with a NUL character instead of "
                + "a newline, for texts of several lines (read -d '').")
        private boolean nul;

        @Override
        protected void run() throws Exception {
            if ((get || watch) && !words.isEmpty()) {
                throw new CommandFailure("give TEXT to send, or --get or --watch to print, not both");
            }
            requireClipboard();
            if (watch) {
                watch();
            } else if (get || (words.isEmpty() && StandardInput.isTerminal(STDIN))) {
                Object value = Plain.of(cli.daemon().properties(target().path(), Clipboard1.NAME).get("Content"));
                String content = value == null ? "" : String.valueOf(value);
                if (content.isEmpty()) {
                    cli.err().println(target().name() + " has not shared its clipboard since gsbridge started.");
                    return;
                }
                print(content);
            } else {
                String text = words.isEmpty() || words.equals(List.of("-"))
                        ? StandardInput.read(System.in, ClipboardPlugin.MAX_BYTES) : String.join(" ", words);
                if (text.isEmpty()) {
                    throw new CommandFailure("the text is empty; nothing was sent");
                }
                remote(Clipboard1.class).SetContent(text);
                // Also when the device held the text already and nothing was sent: either way it holds it now.
                cli.out().println("The clipboard of " + target().name() + " holds the " + text.length()
                        + " characters.");
            }
        }

        /**
         * The device's object has Clipboard1 only while the device has a clipboard plugin: say that,
         * not "no such method".
         */
        private void requireClipboard() throws CommandFailure {
            Map<String, Object> device = Plain.properties(cli.daemon().properties(target().path(),
                    BusInterface.DEVICE1));
            for (String direction : List.of("incomingCapabilities", "outgoingCapabilities")) {
                if (device.get(direction) instanceof List<?> types && types.contains(ClipboardPlugin.TYPE)) {
                    return;
                }
            }
            throw new CommandFailure(target().name() + " does not share its clipboard: its KDE Connect has no "
                    + "clipboard plugin, or the plugin is switched off there");
        }

        private void print(String content) {
            PrintStream out = cli.out();
            out.print(content);
            out.print(nul ? '\0' : '\n');
            out.flush();
        }

        private void watch() throws CommandFailure, InterruptedException {
            DaemonClient daemon = cli.daemon();
            String path = target().path();
            Object stopped = new Object();
            BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
            try (AutoCloseable copies = daemon.connection().addSigHandler(Clipboard1.ContentChanged.class, signal -> {
                if (signal.getPath().equals(path)) {
                    queue.add(signal.content);
                }
            }); AutoCloseable daemonGone = daemon.whenStopped(() -> queue.add(stopped))) {
                cli.err().println("Watching the clipboard of " + target().name() + "; Ctrl-C stops.");
                while (true) {
                    Object next = queue.take();
                    if (next == stopped) {
                        throw new CommandFailure("gsbridge stopped");
                    }
                    print((String) next);
                }
            } catch (DBusException e) {
                throw new CommandFailure("cannot subscribe to gsbridge's signals: " + e.getMessage());
            } catch (CommandFailure | InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new CommandFailure("cannot stop watching: " + e.getMessage());
            }
        }
    }

    @Override
    public WatchFormat watch() {
        return new WatchFormat() {
            @Override
            public List<Class<? extends DBusSignal>> signals() {
                return List.of(Clipboard1.ContentChanged.class);
            }

            @Override
            public Optional<Map<String, Object>> describe(DBusSignal signal) {
                if (!(signal instanceof Clipboard1.ContentChanged changed)) {
                    return Optional.empty();
                }
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("event", "ClipboardChanged");
                event.put("content", changed.content);
                return Optional.of(event);
            }

            /** Only the length: a clipboard often holds a password, and this line is for reading over shoulders. */
            @Override
            public Optional<String> sentence(String who, Map<String, Object> event) {
                if (!"ClipboardChanged".equals(event.get("event"))) {
                    return Optional.empty();
                }
                return Optional.of(who + " copied text (" + String.valueOf(event.get("content")).length()
                        + " characters)");
            }
        };
    }
}
