package io.github.gsbridge.plugin.runcommand;

import io.github.gsbridge.device.Device;
import io.github.gsbridge.threads.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the user's own command lines, one {@code /bin/sh -c LINE} each, as GSConnect and
 * kdeconnect-kde do: a line is the user's, written in the shell's language (pipes, {@code &&}).
 * Nothing the device sends reaches the shell; the device only picks a line by its key.
 *
 * <p>A command is never killed: "open the browser" runs as long as the browser does. Instead each
 * device may have at most {@link #MAX_RUNNING} commands running at once, so a device that asks
 * again and again cannot fill the computer with processes. How each one ended (exit status, time,
 * the start of its output) goes to the log. Commands outlive the daemon.
 */
final class CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
    static final int MAX_RUNNING = 8;
    static final int LOGGED_OUTPUT = 2048;
    /** After the shell exits, how long to wait for output its children may still be writing. */
    private static final long OUTPUT_GRACE_MILLIS = 1000;

    private final Path workingDir;
    private final Map<String, Integer> running = new HashMap<>();

    CommandRunner(Path workingDir) {
        this.workingDir = workingDir;
    }

    /** Starts {@code command}; false, logged, when the device has too many running or it cannot start. */
    boolean start(Device device, String key, Command command) {
        synchronized (running) {
            int now = running.getOrDefault(device.id(), 0);
            if (now >= MAX_RUNNING) {
                LOG.warn("{}: refused to run \"{}\" ({}): {} of its commands are still running",
                        device, command.name(), key, now);
                return false;
            }
            running.put(device.id(), now + 1);
        }
        Process process;
        try {
            process = new ProcessBuilder("/bin/sh", "-c", command.command())
                    .directory(workingDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException | RuntimeException e) {
            finished(device);
            LOG.warn("{}: cannot run \"{}\" ({}): {}", device, command.name(), key, e.getMessage());
            return false;
        }
        LOG.info("{}: running \"{}\" ({}), pid {}: {}", device, command.name(), key, process.pid(),
                command.command());
        Output output = new Output(process.getInputStream());
        // Two threads a command, not a pool: a command may run for hours, and there are at most
        // MAX_RUNNING of them a device.
        Thread reader = Threads.start("runcommand-output-" + process.pid(), output);
        Threads.start("runcommand-" + process.pid(), () -> awaitEnd(device, key, command, process, output, reader));
        return true;
    }

    private void awaitEnd(Device device, String key, Command command, Process process, Output output,
                          Thread reader) {
        long started = System.nanoTime();
        try {
            int status = process.waitFor();
            long millis = (System.nanoTime() - started) / 1_000_000;
            reader.join(OUTPUT_GRACE_MILLIS);
            LOG.info("{}: \"{}\" ({}) ended with exit status {} after {} ms; {}", device, command.name(), key,
                    status, millis, output.describe());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished(device);
        }
    }

    private void finished(Device device) {
        synchronized (running) {
            running.computeIfPresent(device.id(), (id, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** Reads a command's output to its end, keeping only the first {@link #LOGGED_OUTPUT} bytes. */
    private static final class Output implements Runnable {
        private final InputStream in;
        private final byte[] kept = new byte[LOGGED_OUTPUT];
        private int keptLength;
        private long total;

        Output(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (this) {
                        int keep = Math.min(n, kept.length - keptLength);
                        System.arraycopy(buffer, 0, kept, keptLength, keep);
                        keptLength += keep;
                        total += n;
                    }
                }
            } catch (IOException e) {
                // The pipe closed under us (the daemon stops); what was read is still logged.
            }
        }

        synchronized String describe() {
            if (total == 0) {
                return "no output";
            }
            String text = new String(kept, 0, keptLength, StandardCharsets.UTF_8).strip();
            return total > keptLength
                    ? "output (first " + keptLength + " of " + total + " bytes): " + text
                    : "output: " + text;
        }
    }
}
