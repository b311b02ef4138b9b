package io.github.gsbridge.cli;

import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.PrivateBus;
import io.github.gsbridge.lan.PortRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What a user reads on stderr, from the real program with its own logging configuration: the
 * commands print their message and nothing of the libraries; the daemon logs what concerns the user.
 */
class QuietOutputTest {
    @TempDir
    Path dir;

    private static List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void aCommandPrintsOnlyItsOwnMessage() throws Exception {
        try (PrivateBus bus = PrivateBus.start(dir.resolve("bus"))) {
            ManagedProcess.Result result = ManagedProcess.run(java("devices"), Map.of("HOME", dir.toString(),
                    "DBUS_SESSION_BUS_ADDRESS", bus.address()), Duration.ofSeconds(30));
            assertEquals(1, result.exitCode(), result.toString());
            assertEquals("""
                    gsbridge devices: gsbridge is not running on this session bus.
                    Start it with "systemctl --user start gsbridge", or run "gsbridge daemon" in a terminal.
                    """, result.stderr(), "no dbus-java transport line");
        }
    }

    @Test
    void theDaemonWithoutABusLogsNoLibraryNoise() throws Exception {
        PortRange ports = Ports.freeRange(7);
        List<String> command = java("daemon", "--config-dir", dir.resolve("gsbridge").toString(),
                "--gsconnect-dir", dir.resolve("gsconnect").toString(), "--udp-port", String.valueOf(ports.first()),
                "--tcp-ports", (ports.first() + 1) + "-" + (ports.first() + 1),
                "--payload-ports", (ports.first() + 2) + "-" + ports.last(), "--broadcast", "127.0.0.1");
        try (ManagedProcess daemon = ManagedProcess.start("gsbridge", command, Map.of("HOME", dir.toString(),
                "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")), dir, dir.resolve("daemon.log"))) {
            daemon.waitForLine(Pattern.compile(".*is up: TCP.*"), Duration.ofSeconds(30));
            String log = String.join("\n", daemon.lines());
            for (String noise : List.of("DISPLAY", "DisabledAlgorithmConstraints", "Ignoring unsupported",
                    "TransportBuilder")) {
                assertFalse(log.contains(noise), noise + " in the log:\n" + log);
            }
        }
    }
}
