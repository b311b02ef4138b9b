package io.github.gsbridge.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real {@code gdbus} tool against a private bus, as a script author would use it ({@code --session}). */
public final class Gdbus {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final String busAddress;
    private final String gdbus;

    public Gdbus(String busAddress) {
        this.busAddress = busAddress;
        this.gdbus = RealComponents.requireOnPath("gdbus");
    }

    /** {@code gdbus ARGS...} with the private bus as the session bus. */
    public ManagedProcess.Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(gdbus));
        command.addAll(List.of(args));
        return ManagedProcess.run(command, Map.of("PATH", "/usr/bin:/bin", "DBUS_SESSION_BUS_ADDRESS", busAddress),
                TIMEOUT);
    }

    /** {@code gdbus call --session --dest DEST --object-path PATH --method METHOD ARGS...}. */
    public ManagedProcess.Result call(String dest, String path, String method, String... args) {
        List<String> command = new ArrayList<>(List.of("call", "--session", "--dest", dest, "--object-path", path,
                "--method", method));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    public String introspectXml(String dest, String path) {
        return run("introspect", "--session", "--dest", dest, "--object-path", path, "--xml")
                .assertOk("gdbus introspect " + path).stdout();
    }
}
