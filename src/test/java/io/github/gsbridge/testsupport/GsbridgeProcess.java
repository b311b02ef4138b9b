package io.github.gsbridge.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * gsbridge's real daemon in a child JVM (via {@link DaemonDriver}), optionally inside a network
 * namespace, driven through stdin. Logs go to {@code daemon.log} in its directory.
 */
public final class GsbridgeProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tests want debug logs of the child daemons; benchmarks set this to "info" to measure what users run. */
    public static final String LOG_LEVEL_PROPERTY = "gsbridge.child.logLevel";
    /** Extra JVM options for the child daemons, e.g. a flight recording while benchmarking. */
    public static final String JVM_ARGS_PROPERTY = "gsbridge.child.jvmArgs";

    /**
     * The system bus child daemons get unless the test gives one: none. On the host's own bus a
     * desktop's Avahi would publish the test daemons on the machine's real networks.
     */
    public static final String NO_SYSTEM_BUS = "unix:path=/nonexistent/gsbridge-test-has-no-system-bus";

    private final Process process;
    private final Writer stdin;
    private final Path log;
    private final List<String> lines = new ArrayList<>();
    private int consumedReplies;
    private final JsonNode ready;

    private GsbridgeProcess(Process process, Path log) throws IOException, InterruptedException {
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readStdout, "gsbridge-stdout");
        reader.setDaemon(true);
        reader.start();
        this.ready = JSON.readTree(awaitLine(l -> l.startsWith("READY "), Duration.ofSeconds(30)).substring(6));
    }

    /**
     * Starts the daemon with {@code args} (as for {@code gsbridge daemon}); {@code prefix} wraps the
     * command (e.g. {@code ip netns exec NS}); {@code env} replaces the environment except PATH.
     */
    public static GsbridgeProcess start(Path dir, List<String> prefix, Map<String, String> env, List<String> args)
            throws IOException, InterruptedException {
        String jvmArgs = System.getProperty(JVM_ARGS_PROPERTY, "").strip();
        return start(dir, jvmArgs.isEmpty() ? List.of() : List.of(jvmArgs.split("\\s+")), prefix, env, args);
    }

    /** As above, with these JVM options rather than those of {@link #JVM_ARGS_PROPERTY}. */
    public static GsbridgeProcess start(Path dir, List<String> jvmArgs, List<String> prefix, Map<String, String> env,
                                        List<String> args) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path log = dir.resolve("daemon.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(prefix);
        command.add(java);
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + System.getProperty(LOG_LEVEL_PROPERTY, "debug"),
                DaemonDriver.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.environment().keySet().retainAll(List.of("PATH", "LANG"));
        builder.environment().put("DBUS_SYSTEM_BUS_ADDRESS", NO_SYSTEM_BUS);
        builder.environment().putAll(env);
        return new GsbridgeProcess(builder.start(), log);
    }

    private void readStdout() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // The process ended; waiters time out with the log tail.
        }
        synchronized (this) {
            notifyAll();
        }
    }

    public long pid() {
        return process.pid();
    }

    public String deviceId() {
        return ready.get("deviceId").asText();
    }

    public int tcpPort() {
        return ready.get("tcpPort").asInt();
    }

    /** Sends one command and returns its {@code OK} payload; an {@code ERROR} reply throws. */
    public JsonNode command(String command) throws IOException, InterruptedException {
        synchronized (this) {
            stdin.write(command + "\n");
            stdin.flush();
        }
        String reply = awaitReply(Duration.ofSeconds(30));
        if (reply.startsWith("ERROR ")) {
            throw new CommandFailed(command + ": " + reply.substring(6));
        }
        return JSON.readTree(reply.substring(3));
    }

    /** A command answered with ERROR. */
    public static final class CommandFailed extends RuntimeException {
        CommandFailed(String message) {
            super(message);
        }
    }

    /** Waits for an event whose JSON matches; e.g. {@code e -> e.get("event").asText().equals("Connected")}. */
    public JsonNode awaitEvent(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        return awaitEvent(0, match, timeout);
    }

    /** Like {@link #awaitEvent(Predicate, Duration)}, counting only output after {@link #mark()}. */
    public JsonNode awaitEvent(int mark, Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        String line = awaitLine(mark, l -> l.startsWith("EVENT ") && match.test(parse(l.substring(6))), timeout);
        return parse(line.substring(6));
    }

    /** A position in the output, for waiting on what comes after it. */
    public synchronized int mark() {
        return lines.size();
    }

    public static Predicate<JsonNode> event(String name, String deviceId) {
        return e -> e.get("event").asText().equals(name) && e.path("deviceId").asText().equals(deviceId);
    }

    public synchronized List<JsonNode> events() {
        return lines.stream().filter(l -> l.startsWith("EVENT ")).map(l -> parse(l.substring(6))).toList();
    }

    /** Waits until the daemon reports this state ({@code active}, {@code waiting}); returns the reason. */
    public String awaitState(String state, Duration timeout) throws IOException, InterruptedException {
        return awaitState(state, "", timeout);
    }

    /** Waits for a state whose reason contains {@code reasonPart}. */
    public String awaitState(String state, String reasonPart, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode current = command("state");
            if (current.get("state").asText().equals(state) && current.get("reason").asText().contains(reasonPart)) {
                return current.get("reason").asText();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gsbridge still " + current + " after " + timeout + "\n" + logTail(40));
            }
            Thread.sleep(50);
        }
    }

    /** The device as the daemon lists it, or null. */
    public JsonNode device(String id) throws IOException, InterruptedException {
        for (JsonNode device : command("devices")) {
            if (device.get("id").asText().equals(id)) {
                return device;
            }
        }
        return null;
    }

    public String logTail(int count) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private synchronized String awaitReply(Duration timeout) throws InterruptedException {
        Predicate<String> isReply = l -> l.startsWith("OK ") || l.startsWith("ERROR ");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int seen = 0;
            for (String line : lines) {
                if (isReply.test(line) && ++seen > consumedReplies) {
                    consumedReplies++;
                    return line;
                }
            }
            waitOrFail(deadline, "no reply");
        }
    }

    private synchronized String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
        return awaitLine(0, match, timeout);
    }

    private synchronized String awaitLine(int from, Predicate<String> match, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : lines.subList(Math.min(from, lines.size()), lines.size())) {
                if (match.test(line)) {
                    return line;
                }
            }
            waitOrFail(deadline, "no matching line");
        }
    }

    private void waitOrFail(long deadline, String what) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && left > 0 && linesComplete())) {
            throw new AssertionError("gsbridge: " + what + (process.isAlive() ? "" : " (process exited)")
                    + "\n--- stdout:\n" + String.join("\n", lines) + "\n--- log tail:\n" + logTail(60));
        }
        TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
    }

    private boolean linesComplete() {
        try {
            return process.getInputStream().available() == 0;
        } catch (IOException e) {
            return true;
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("bad JSON from gsbridge: " + json, e);
        }
    }

    @Override
    public void close() {
        try {
            synchronized (this) {
                stdin.write("quit\n");
                stdin.flush();
            }
        } catch (IOException e) {
            // Already gone.
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
