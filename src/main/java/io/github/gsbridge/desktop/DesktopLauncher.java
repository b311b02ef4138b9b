package io.github.gsbridge.desktop;

import io.github.gsbridge.credentials.GVariantText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Opens things the way the desktop would: {@code gio open} starts the user's default application
 * for a file or URL (what Files does on a double click), and Files shows received files through
 * {@code org.freedesktop.FileManager1.ShowItems}, called with {@code gdbus} so that D-Bus
 * activation starts Nautilus (or whichever file manager provides it) when it is not running.
 * Both programs come with GLib (Debian: libglib2.0-bin), which every GNOME desktop has.
 */
public final class DesktopLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopLauncher.class);
    /** ShowItems answers once the window is up; a file manager that is slower has failed for the user too. */
    private static final long SHOW_ITEMS_TIMEOUT_SECONDS = 25;

    private final Map<String, String> environment;

    /** Programs run in this process's environment (session bus, XDG directories, display). */
    public DesktopLauncher() {
        this(System.getenv());
    }

    /** Programs run in exactly {@code environment}. */
    public DesktopLauncher(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Opens a file or URL in the desktop's default application for it; false (logged) when that failed. */
    public boolean open(String uri) {
        return run(List.of("gio", "open", uri), "opening " + uri);
    }

    /** Shows the files selected in the file manager, or opens their folder where none offers ShowItems. */
    public boolean showInFiles(List<Path> files) {
        if (files.isEmpty()) {
            return false;
        }
        List<String> uris = new ArrayList<>();
        files.forEach(file -> uris.add(file.toUri().toString()));
        boolean shown = run(List.of("gdbus", "call", "--session", "--timeout", String.valueOf(SHOW_ITEMS_TIMEOUT_SECONDS),
                "--dest", "org.freedesktop.FileManager1", "--object-path", "/org/freedesktop/FileManager1",
                "--method", "org.freedesktop.FileManager1.ShowItems", GVariantText.formatStringArray(uris), "''"),
                "showing " + files.size() + " file(s) in the file manager");
        Path folder = files.get(0).getParent();
        return shown || (folder != null && open(folder.toUri().toString()));
    }

    /** Runs a command to its end, with its output in the log at debug level (and a failure at info). */
    private boolean run(List<String> command, String what) {
        File log;
        try {
            log = File.createTempFile("gsbridge-launch", ".log");
        } catch (IOException e) {
            LOG.info("{} failed: {}", what, e.getMessage());
            return false;
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(SHOW_ITEMS_TIMEOUT_SECONDS + 5, TimeUnit.SECONDS)) {
                process.destroy();
                LOG.info("{} failed: {} did not finish", what, command.get(0));
                return false;
            }
            String output = Files.readString(log.toPath()).strip();
            if (process.exitValue() != 0) {
                LOG.info("{} failed: {}", what, output.isEmpty() ? command.get(0) + " exited with " + process.exitValue()
                        : output);
                return false;
            }
            LOG.debug("{}: done{}", what, output.isEmpty() ? "" : ": " + output);
            return true;
        } catch (IOException e) {
            LOG.info("{} failed: {} could not run ({})", what, command.get(0), e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            log.delete();
        }
    }
}
