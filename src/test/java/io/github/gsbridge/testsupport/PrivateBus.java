package io.github.gsbridge.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A private session {@code dbus-daemon} on a {@code unix:path=} socket (abstract sockets are per
 * network namespace, a path works from every namespace). Optionally started inside a namespace.
 */
public final class PrivateBus implements AutoCloseable {
    private final Process process;
    private final Path socket;

    private PrivateBus(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Starts a bus whose socket is {@code dir/bus}; {@code prefix} is prepended to the command (e.g. ip netns exec). */
    public static PrivateBus start(Path dir, List<String> prefix) throws IOException, InterruptedException {
        return start(dir, prefix, "--session");
    }

    /** As {@link #start(Path, List)} with the policy of {@code configFile} (a system bus's, say). */
    public static PrivateBus start(Path dir, List<String> prefix, Path configFile)
            throws IOException, InterruptedException {
        return start(dir, prefix, "--config-file=" + configFile.toAbsolutePath());
    }

    /**
     * A bus of type system (for system services such as Avahi or UPower) whose policy lets everyone
     * own and call everything: its only clients are the test's own programs.
     */
    public static PrivateBus startSystem(Path dir, List<String> prefix) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = dir.resolve("system-bus.conf");
        Files.writeString(config, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>system</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow user="*"/>
                    <allow own="*"/>
                    <allow send_destination="*"/>
                    <allow receive_sender="*"/>
                  </policy>
                </busconfig>
                """.formatted(dir.toAbsolutePath().resolve("bus")));
        return start(dir, prefix, config);
    }

    private static PrivateBus start(Path dir, List<String> prefix, String kind) throws IOException, InterruptedException {
        String daemon = RealComponents.requireOnPath("dbus-daemon");
        Files.createDirectories(dir);
        Path socket = dir.resolve("bus");
        Files.deleteIfExists(socket);
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(daemon, kind, "--nofork", "--nopidfile",
                "--address=unix:path=" + socket));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("dbus-daemon.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("dbus-daemon did not start; see " + dir.resolve("dbus-daemon.log"));
            }
            Thread.sleep(20);
        }
        return new PrivateBus(process, socket);
    }

    public static PrivateBus start(Path dir) throws IOException, InterruptedException {
        return start(dir, List.of());
    }

    public String address() {
        return "unix:path=" + socket;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
