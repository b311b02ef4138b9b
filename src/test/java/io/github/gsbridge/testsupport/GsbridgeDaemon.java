package io.github.gsbridge.testsupport;

import io.github.gsbridge.cli.Main;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code gsbridge daemon} (the CLI's main, D-Bus service included) in a child JVM,
 * optionally inside a network namespace; its stdout and stderr go to {@code daemon.log}. Unlike
 * {@link GsbridgeProcess} it has no stdin protocol: tests drive it over D-Bus.
 */
public final class GsbridgeDaemon implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Logged once the daemon owns its bus name. */
    public static final String ON_THE_BUS = "D-Bus: io.github.gsbridge on ";

    private final Process process;
    private final Path log;

    private GsbridgeDaemon(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** {@code prefix} wraps the command (e.g. ip netns exec NS); {@code env} replaces the environment except PATH. */
    public static GsbridgeDaemon start(Path dir, List<String> prefix, Map<String, String> env, List<String> args)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "daemon"));
        command.addAll(args);
        return launch(dir, command, env);
    }

    /** Runs {@code command} as the daemon, e.g. the launcher install.sh wrote; {@code env} as for {@link #start}. */
    public static GsbridgeDaemon launch(Path dir, List<String> command, Map<String, String> env) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve("daemon.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().retainAll(List.of("PATH"));
        builder.environment().put("DBUS_SYSTEM_BUS_ADDRESS", GsbridgeProcess.NO_SYSTEM_BUS);
        builder.environment().putAll(env);
        return new GsbridgeDaemon(builder.start(), log);
    }

    /** Waits until the log contains {@code text}; fails early with the log when the process ends first. */
    public String awaitLog(String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String content = log();
            if (content.contains(text)) {
                return content;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + text + "\" in the daemon log ("
                        + (process.isAlive() ? "timed out" : "exited " + process.exitValue()) + "):\n" + content);
            }
            Thread.sleep(50);
        }
    }

    public long pid() {
        return process.pid();
    }

    public int awaitExit() throws InterruptedException, IOException {
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the daemon did not exit:\n" + log());
        }
        return process.exitValue();
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Stops it as systemd would (SIGTERM) and returns its exit status. */
    public int stop() throws InterruptedException, IOException {
        process.destroy();
        return awaitExit();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
