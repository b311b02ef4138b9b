package io.github.gsbridge.testsupport;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A long-running child process whose stdout and stderr (merged) are collected line by line into a
 * thread-safe log, mirrored to a file for debugging. Tests wait for log lines with a deadline
 * instead of sleeping.
 *
 * <p>Line indexes: {@link #mark()} returns the number of lines seen so far; {@link
 * #waitForLine(int, Pattern, Duration)} only looks at lines from that index on, so a test can wait
 * for something that happens <em>after</em> an action.
 */
public final class ManagedProcess implements AutoCloseable {
    private static final int TAIL_LINES = 60;

    private final String name;
    private final Process process;
    private final Path logFile;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private boolean ended; // guarded by lines

    private ManagedProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.reader = new Thread(this::pump, "log-" + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts {@code command}.
     *
     * @param name a short label used in messages and the reader thread name
     * @param env if non-null, the <em>complete</em> environment of the child (like {@code env -i});
     *     if null, the JVM's environment is inherited
     * @param workingDir the child's working directory, or null for the JVM's
     * @param logFile where the output is mirrored (created/truncated), or null for none
     */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> env,
            Path workingDir, Path logFile) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (env != null) {
            builder.environment().clear();
            builder.environment().putAll(env);
        }
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        if (logFile != null) {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.writeString(logFile, "# " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
        }
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new ManagedProcess(name, builder.start(), logFile);
    }

    private void pump() {
        BufferedWriter file = null;
        try {
            if (logFile != null) {
                file = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                    if (file != null) {
                        file.write(line);
                        file.newLine();
                        file.flush();
                    }
                }
            }
        } catch (IOException e) {
            // stream closed when the process was killed; nothing more to read
        } finally {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException ignored) {
                    // best effort debug mirror
                }
            }
            synchronized (lines) {
                ended = true;
                lines.notifyAll();
            }
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal by name ("INT", "STOP", ...), as a user or a service manager would. */
    public void signal(String name) {
        run(List.of("kill", "-" + name, String.valueOf(process.pid())), null, Duration.ofSeconds(5))
                .assertOk("kill -" + name + " " + name());
    }

    /** Waits for the process to end and returns its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + timeout + "\n" + stuckAt());
        }
        return process.exitValue();
    }

    /**
     * What a process that should have ended is doing: a JVM prints its threads on SIGQUIT (into the
     * output this class keeps), which is what tells a hang in a shutdown hook from one in the bus.
     */
    private String stuckAt() throws InterruptedException {
        boolean java = process.info().command().map(c -> c.endsWith("/java")).orElse(false);
        if (!java) {
            return tail(TAIL_LINES);
        }
        int before = lines().size();
        signal("QUIT");
        Thread.sleep(1000);
        List<String> all = lines();
        return String.join("\n", all.subList(Math.max(0, before - TAIL_LINES), all.size()));
    }

    /** A snapshot of all lines so far. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The number of lines seen so far; pass it to {@link #waitForLine(int, Pattern, Duration)}. */
    public int mark() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /** Waits for any line (from the start of the output) that {@code pattern} finds. */
    public String waitForLine(Pattern pattern, Duration timeout) {
        return waitForLine(0, pattern, timeout);
    }

    /**
     * Waits for a line with index {@code >= from} that {@code pattern} finds ({@link
     * java.util.regex.Matcher#find()}), and returns it.
     *
     * @throws AssertionError on timeout or if the process's output ends first, with the log tail
     */
    public String waitForLine(int from, Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = from;
        synchronized (lines) {
            while (true) {
                for (; next < lines.size(); next++) {
                    String line = lines.get(next);
                    if (pattern.matcher(line).find()) {
                        return line;
                    }
                }
                if (ended) {
                    throw new AssertionError(name + " ended (exit " + exitCodeOrUnknown() + ") before a line matching /"
                            + pattern + "/ appeared" + tailForMessage());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no line matching /" + pattern + "/ from " + name + " within "
                            + timeout + tailForMessage());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for /" + pattern + "/", e);
                }
            }
        }
    }

    /**
     * Waits until more than {@code count} lines exist; false on timeout or when the output ended.
     * For callers that parse several lines at once (see {@link BusMonitor}).
     */
    public boolean awaitMoreLines(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (lines.size() <= count) {
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Returns the first line with index {@code >= from} that {@code pattern} finds, or null; no waiting. */
    public String findLine(int from, Pattern pattern) {
        synchronized (lines) {
            for (int i = from; i < lines.size(); i++) {
                if (pattern.matcher(lines.get(i)).find()) {
                    return lines.get(i);
                }
            }
            return null;
        }
    }

    private String exitCodeOrUnknown() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** The last {@code n} lines joined with newlines. */
    public String tail(int n) {
        synchronized (lines) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }

    private String tailForMessage() {
        return "\n--- last lines of " + name + (logFile != null ? " (full log: " + logFile + ")" : "")
                + " ---\n" + tail(TAIL_LINES) + "\n---";
    }

    /** SIGTERM, then SIGKILL if the process has not exited within 3 s. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(3, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sleeps in a polling loop; an interrupt ends the test rather than being swallowed. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Outcome of a one-shot command. {@code exitCode} is -1 when it timed out (and was killed). */
    public record Result(int exitCode, String stdout, String stderr, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** stdout followed by stderr. */
        public String output() {
            return stderr.isEmpty() ? stdout : stdout + stderr;
        }

        /** Throws an AssertionError describing the command unless it exited 0. */
        public Result assertOk(String what) {
            if (!ok()) {
                throw new AssertionError(what + " failed: " + this);
            }
            return this;
        }

        @Override
        public String toString() {
            return "exit " + (timedOut ? "TIMEOUT" : exitCode) + "\n[stdout]\n" + stdout + "[stderr]\n" + stderr;
        }
    }

    /** Runs a command to completion; {@code env} as in {@link #start}. */
    public static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        return run(command, env, null, timeout);
    }

    /** Runs a command to completion in {@code workingDir} (null: the JVM's); {@code env} as in {@link #start}. */
    public static Result run(List<String> command, Map<String, String> env, Path workingDir, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (env != null) {
            builder.environment().clear();
            builder.environment().putAll(env);
        }
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        CompletableFuture<String> out = readAll(process.getInputStream());
        CompletableFuture<String> err = readAll(process.getErrorStream());
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            String stdout = out.get(5, TimeUnit.SECONDS);
            String stderr = err.get(5, TimeUnit.SECONDS);
            return new Result(timedOut ? -1 : process.exitValue(), stdout, stderr, timedOut);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted running " + command, e);
        } catch (ExecutionException | TimeoutException e) {
            // a grandchild may keep the pipes open; report what we have
            return new Result(timedOut ? -1 : process.exitValue(), out.getNow(""), err.getNow(""), timedOut);
        }
    }

    /** Reads a stream to its end on its own daemon thread (not the common pool: these reads block). */
    private static CompletableFuture<String> readAll(InputStream stream) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try (stream) {
                result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.complete("");
            }
        }, "read-output");
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
