package io.github.gsbridge.plugin.share;

import io.github.gsbridge.plugin.CommandFailure;
import io.github.gsbridge.plugin.DaemonClient;
import io.github.gsbridge.plugin.DeviceCommand;
import io.github.gsbridge.plugin.Plain;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginContext;
import io.github.gsbridge.plugin.PluginModule;
import io.github.gsbridge.plugin.WatchFormat;
import io.github.gsbridge.transfer.Transfer1;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Share: files, links and text both ways; {@code gsbridge share}, {@code share-url}, {@code share-text}. */
public final class ShareModule implements PluginModule {
    @Override
    public String name() {
        return "share";
    }

    @Override
    public Plugin create(PluginContext context) {
        return new SharePlugin(context.events(), context.transfers(),
                new XdgDownloadDirectories(context.environment(), context.settings("share")));
    }

    @Override
    public List<Object> commands() {
        return List.of(new Share(), new ShareUrl(), new ShareText());
    }

    @Command(name = "share", description = "Sends files to DEV and waits until they arrived. "
            + "The exit status is 0 only when every file did.")
    static final class Share extends DeviceCommand {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "The files to send.")
        private List<String> files;

        /** Interrupting the command (Ctrl-C, SIGTERM) cancels the transfer rather than leave it running. */
        @Override
        protected void run() throws Exception {
            List<String> absolute = new ArrayList<>();
            for (String file : files) {
                absolute.add(file.startsWith("file:") ? file : cli.workingDir().resolve(Path.of(file)).toString());
            }
            DaemonClient daemon = cli.daemon();
            String name = target().name();
            follow("the transfer to " + name, () -> send(daemon, absolute, name));
        }

        private void send(DaemonClient daemon, List<String> absolute, String name) throws Exception {
            LinkedBlockingQueue<Object> changes = new LinkedBlockingQueue<>();
            try (AutoCloseable handler = daemon.connection().addSigHandler(Properties.PropertiesChanged.class,
                    changes::add)) {
                String transfer = remote(ShareDevice1.class).ShareFiles(absolute, false).getPath();
                Thread cancelOnExit = new Thread(() -> cancelUnfinished(daemon, transfer, name), "cancel-share");
                Runtime.getRuntime().addShutdownHook(cancelOnExit);
                try {
                    cli.err().println("Sending " + absolute.size() + " file(s) to " + name + " as " + transfer
                            + "; Ctrl-C cancels.");
                    followTransfer(daemon, transfer, absolute.size(), name, changes);
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(cancelOnExit);
                    } catch (IllegalStateException exiting) {
                        // The JVM is already shutting down: the hook runs, and cancels if need be.
                    }
                }
            }
        }

        private void followTransfer(DaemonClient daemon, String transfer, int count, String device,
                            LinkedBlockingQueue<Object> changes) throws CommandFailure, InterruptedException {
            Progress progress = new Progress(device);
            while (true) {
                Map<String, Object> now = Plain.properties(daemon.properties(transfer, Transfer1.NAME));
                String state = String.valueOf(now.get("state"));
                progress.show(((Number) now.get("bytesDone")).longValue(), ((Number) now.get("bytesTotal")).longValue());
                switch (state) {
                    case "completed" -> {
                        progress.finish();
                        cli.out().println("Sent " + count + " file(s) to " + device + ".");
                        return;
                    }
                    case "failed", "cancelled" -> {
                        progress.finish();
                        String error = String.valueOf(now.getOrDefault("error", ""));
                        throw new CommandFailure("sending to " + device + " " + state
                                + (error.isEmpty() ? "" : ": " + error));
                    }
                    default -> changes.poll(1, TimeUnit.SECONDS);
                }
            }
        }

        private void cancelUnfinished(DaemonClient daemon, String transfer, String device) {
            try {
                Object state = Plain.of(daemon.properties(transfer, Transfer1.NAME).get("State"));
                if (!Set.of("completed", "failed", "cancelled").contains(state)) {
                    daemon.remote(transfer, Transfer1.class).Cancel();
                    cli.err().println();
                    cli.err().println("Cancelled sending to " + device + ".");
                }
            } catch (CommandFailure | DBusExecutionException e) {
                cli.err().println("gsbridge: could not cancel " + transfer + ": " + e.getMessage());
            }
        }

        /** A one-line progress bar, drawn only on a terminal. */
        private final class Progress {
            private final String device;
            private boolean drawn;

            Progress(String device) {
                this.device = device;
            }

            void show(long done, long total) {
                if (!cli.terminal()) {
                    return;
                }
                int percent = total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
                int filled = percent * 30 / 100;
                cli.out().printf(Locale.ROOT, "\rto %s [%s%s] %3d%% %s of %s", device, "#".repeat(filled),
                        " ".repeat(30 - filled), percent, size(done), size(total));
                cli.out().flush();
                drawn = true;
            }

            void finish() {
                if (drawn) {
                    cli.out().println();
                }
            }

            private static String size(long bytes) {
                if (bytes < 1024 * 1024) {
                    return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
                }
                return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
            }
        }
    }

    @Command(name = "share-url", description = "Opens URL on DEV.")
    static final class ShareUrl extends DeviceCommand {
        @Parameters(paramLabel = "URL", description = "The link to open.")
        private String url;

        @Override
        protected void run() throws Exception {
            remote(ShareDevice1.class).ShareUrl(url);
            cli.out().println("Sent the URL to " + target().name() + ".");
        }
    }

    @Command(name = "share-text", description = "Sends TEXT to DEV.")
    static final class ShareText extends DeviceCommand {
        @Parameters(paramLabel = "TEXT", arity = "1..*", description = "Words of the text.")
        private List<String> text;

        @Override
        protected void run() throws Exception {
            remote(ShareDevice1.class).ShareText(String.join(" ", text));
            cli.out().println("Sent the text to " + target().name() + ".");
        }
    }

    @Override
    public WatchFormat watch() {
        return WatchFormat.of(List.of(
                WatchFormat.line(ShareDevice1.FileReceived.class,
                        file -> WatchFormat.fields("transfer", file.transfer.getPath(), "path", file.file),
                        (who, event) -> who + " sent a file: " + event.get("path")),
                WatchFormat.line(ShareDevice1.UrlReceived.class, url -> WatchFormat.fields("url", url.url),
                        (who, event) -> who + " sent a link: " + event.get("url")),
                WatchFormat.line(ShareDevice1.TextReceived.class, text -> WatchFormat.fields("text", text.text),
                        (who, event) -> who + " sent text: " + event.get("text"))));
    }
}
