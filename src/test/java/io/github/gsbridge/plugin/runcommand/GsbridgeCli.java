package io.github.gsbridge.plugin.runcommand;

import io.github.gsbridge.cli.Main;
import io.github.gsbridge.testsupport.ManagedProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code gsbridge} command line in its own JVM, as a user runs it against the daemon on a bus. */
final class GsbridgeCli {
    private GsbridgeCli() {}

    static ManagedProcess.Result run(String busAddress, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return ManagedProcess.run(command, Map.of("PATH", System.getenv("PATH"), "DBUS_SESSION_BUS_ADDRESS", busAddress),
                Duration.ofSeconds(30));
    }
}
