package io.github.gsbridge.cli;

import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gsbridge daemon} as a user starts it: a fresh home, no GSConnect, no session bus. */
class DaemonCommandTest {
    @TempDir
    Path home;

    private Process gsbridge(Path log, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().put("HOME", home.toString());
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().put("DBUS_SYSTEM_BUS_ADDRESS", GsbridgeProcess.NO_SYSTEM_BUS);
        return builder.start();
    }

    private static String awaitLog(Path log, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String content = Files.readString(log);
            if (content.contains(text)) {
                return content;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no \"" + text + "\" in the log:\n" + Files.readString(log));
    }

    @Test
    void startsOnAFreshHomeAndStopsOnSigterm() throws Exception {
        PortRange ports = Ports.freeRange(4);
        Path log = home.resolve("daemon.log");
        // Only loopback: a test must not broadcast onto the machine's real networks.
        Process daemon = gsbridge(log, "daemon", "--name", "Fresh Box", "--udp-port", String.valueOf(ports.first()),
                "--tcp-ports", (ports.first() + 1) + "-" + (ports.first() + 1),
                "--payload-ports", (ports.first() + 2) + "-" + ports.last(), "--broadcast", "127.0.0.1");
        try {
            String started = awaitLog(log, "is up", daemon);
            assertTrue(started.contains("generated a new identity"), started);
            assertTrue(started.contains("\"Fresh Box\" (own identity, protocol 8)"), started);
            assertTrue(Files.exists(home.resolve(".config/gsbridge/private.pem")));
            daemon.destroy();
            assertTrue(daemon.waitFor(10, TimeUnit.SECONDS), "stops on SIGTERM");
            assertTrue(Files.readString(log).contains("gsbridge stopped"), Files.readString(log));
        } finally {
            daemon.destroyForcibly();
        }
    }

    @Test
    void badOptionsAreExplained() throws Exception {
        Path log = home.resolve("usage.log");
        Process bad = gsbridge(log, "daemon", "--identity", "stolen");
        assertTrue(bad.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue());
        String output = Files.readString(log);
        assertTrue(output.contains("--identity takes auto, gsconnect or own"), output);
        assertTrue(output.contains("Usage: gsbridge daemon"), output);
    }

    @Test
    void aTakenPortMeansWaitingForItNotFailing() throws Exception {
        PortRange ports = Ports.freeRange(3);
        Path log = home.resolve("taken.log");
        Process daemon;
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(ports.first())) {
            daemon = gsbridge(log, "daemon", "--udp-port", String.valueOf(ports.first()),
                    "--tcp-ports", String.valueOf(ports.first() + 1), "--broadcast", "127.0.0.1");
            String waiting = awaitLog(log, "waiting for the KDE Connect ports", daemon);
            assertTrue(waiting.contains("UDP port " + ports.first() + " is held by java (pid "
                    + ProcessHandle.current().pid() + ")"), waiting);
        }
        try {
            // Freed: the retry with backoff takes it.
            awaitLog(log, "is up", daemon);
        } finally {
            daemon.destroy();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
