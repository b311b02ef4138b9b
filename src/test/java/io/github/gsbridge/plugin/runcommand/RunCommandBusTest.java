package io.github.gsbridge.plugin.runcommand;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.Error;
import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.testsupport.BusFixture;
import io.github.gsbridge.testsupport.LogCapture;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.ManagedProcess;
import org.freedesktop.dbus.interfaces.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * io.github.gsbridge.RunCommand1 through a real dbus-daemon: alpha serves the bus, beta is a second
 * gsbridge (its own list in its runcommand.json) paired with it, so both ways run between the two.
 */
@SuppressWarnings("unchecked")
class RunCommandBusTest {
    @TempDir
    Path dir;

    private BusFixture fixture;
    private LoopbackNode beta;
    private String path;
    private RunCommand1 commands;
    private RunCommandPlugin betasPlugin;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new BusFixture(dir);
        fixture.record(Properties.PropertiesChanged.class);
        beta = fixture.pairedBeta();
        path = DbusService.devicePath(beta.id());
        commands = fixture.remote(path, RunCommand1.class);
        betasPlugin = beta.daemon().plugins().get(RunCommandPlugin.class);
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + BusFixture.WAIT.toNanos();
        while (!Files.exists(file)) {
            assertTrue(System.nanoTime() < deadline, file + " was not made");
            Thread.sleep(20);
        }
    }

    @Test
    void betaRunsACommandAddedOnAlphasBus() throws Exception {
        Path made = dir.resolve("made on alpha");
        String line = "touch '" + made + "'";
        String key = commands.AddCommand("Touch", line);
        Map<String, Map<String, String>> expected = Map.of(key, Map.of("name", "Touch", "command", line));
        fixture.awaitProperty(path, "Commands", expected);
        assertEquals(expected, fixture.property(path, RunCommand1.NAME, "Commands"));

        long deadline = System.nanoTime() + BusFixture.WAIT.toNanos();
        while (!betasPlugin.remoteCommands(fixture.alpha.id()).containsKey(key)) {
            assertTrue(System.nanoTime() < deadline, "beta did not get alpha's list");
            Thread.sleep(20);
        }
        betasPlugin.runRemote(beta.device(fixture.alpha.id()), key);
        awaitFile(made);

        commands.RemoveCommand(key);
        fixture.awaitProperty(path, "Commands", Map.of());
        Error.InvalidArgument again = assertThrows(Error.InvalidArgument.class, () -> commands.RemoveCommand(key));
        assertEquals("Cannot remove a command of beta: it has no command with the key " + key, again.getMessage());
        Error.InvalidArgument blank = assertThrows(Error.InvalidArgument.class, () -> commands.AddCommand(" ", "ls"));
        assertEquals("Cannot add a command for beta: a command needs a name and a command line", blank.getMessage());
    }

    @Test
    void theCommandLineAddsSeveralListsAndRemoves() throws Exception {
        String bus = fixture.bus.address();
        ManagedProcess.Result added = GsbridgeCli.run(bus, "commands", "-d", "beta", "--add", "Lock",
                "loginctl lock-session", "--add", "Say hi", "notify-send 'hi there'");
        added.assertOk("gsbridge commands --add --add");
        Map<String, Map<String, String>> now = (Map<String, Map<String, String>>) fixture.property(path,
                RunCommand1.NAME, "Commands");
        assertEquals(2, now.size(), now.toString());
        List<String> lines = added.stdout().lines().toList();
        for (Map.Entry<String, Map<String, String>> entry : now.entrySet()) {
            String name = entry.getValue().get("name");
            assertTrue(lines.contains("Added " + name + " (" + entry.getKey() + "): beta may run it now."), added.stdout());
        }

        String listed = GsbridgeCli.run(bus, "commands", "-d", "beta").assertOk("gsbridge commands").stdout();
        assertTrue(listed.contains("  Say hi  (notify-send 'hi there')"), listed);
        String json = GsbridgeCli.run(bus, "commands", "-d", "beta", "--json").assertOk("--json").stdout();
        assertEquals(now, new ObjectMapper().readValue(json, Map.class));

        String lock = now.entrySet().stream().filter(e -> e.getValue().get("name").equals("Lock")).findFirst()
                .orElseThrow().getKey();
        assertEquals("Removed " + lock + ".", GsbridgeCli.run(bus, "commands", "-d", "beta", "--remove", lock)
                .assertOk("--remove").stdout().strip());
        assertEquals(Set.of("Say hi"), ((Map<String, Map<String, String>>) fixture.property(path, RunCommand1.NAME,
                "Commands")).values().stream().map(c -> c.get("name")).collect(Collectors.toSet()));

        ManagedProcess.Result both = GsbridgeCli.run(bus, "commands", "-d", "beta", "--add", "A", "a", "--remove", lock);
        assertEquals(2, both.exitCode(), both.output());
    }

    @Test
    void alphaRunsBetasCommandThroughTheBus() throws Exception {
        Path made = dir.resolve("made on beta");
        String line = "touch '" + made + "'";
        String key = betasPlugin.add(beta.device(fixture.alpha.id()), "Touch", line);
        fixture.awaitProperty(path, "RemoteCommands", Map.of(key, Map.of("name", "Touch", "command", line)));

        commands.RunRemoteCommand(key);
        awaitFile(made);
        // as GSConnect's device menu and scripts written for GSConnect run it
        Files.delete(made);
        fixture.gdbus.call(DbusService.BUS_NAME, path, "org.gtk.Actions.Activate", "executeCommand",
                "[<'" + key + "'>]", "{}").assertOk("Activate executeCommand");
        awaitFile(made);

        Error.InvalidArgument unknown = assertThrows(Error.InvalidArgument.class,
                () -> commands.RunRemoteCommand("nope"));
        assertEquals("Cannot run a command on beta: it has no command with the key nope (it has: Touch (" + key + "))",
                unknown.getMessage());

        try (LogCapture log = LogCapture.start()) {
            commands.RequestRemoteCommands();
            log.await(BusFixture.WAIT, beta.id() + " (beta): offers 1 commands");
        }
    }
}
