package io.github.gsbridge.dbus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.testsupport.BusFixture;
import io.github.gsbridge.testsupport.BusMonitor;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.NotificationServer;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.RealComponents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Nautilus extension under Debian's nautilus-python (Nautilus 4.0 typelib), outside Nautilus:
 * {@code src/test/python/nautilus_extension_check.py} loads it against the real daemon on a
 * private bus and reports the menus it builds; activating one must make exactly one ShareFiles call.
 */
class NautilusExtensionTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private BusFixture fx;
    private Process checker;
    private Writer commands;
    private BufferedReader answers;

    @BeforeEach
    void start() throws Exception {
        RealComponents.requireExecutable(PYTHON);
        ManagedProcess.Result probe = ManagedProcess.run(List.of(PYTHON, "-c",
                "import gi; gi.require_version('Nautilus', '4.0'); from gi.repository import Nautilus"),
                Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(30));
        RealComponents.require(probe.ok(), "Debian's python3-gi, python3-nautilus and gir1.2-nautilus-4.0 ("
                + probe.stderr().strip() + ")");
        fx = new BusFixture(dir.resolve("fixture"));
    }

    @AfterEach
    void stop() throws Exception {
        if (checker != null) {
            checker.destroy();
            checker.waitFor(10, TimeUnit.SECONDS);
        }
        fx.close();
    }

    private JsonNode ask(String command) throws Exception {
        commands.write(command + "\n");
        commands.flush();
        String line = answers.readLine();
        assertNotNull(line, "the checker ended; see " + dir.resolve("checker.log") + ":\n"
                + Files.readString(dir.resolve("checker.log")));
        JsonNode answer = JSON.readTree(line);
        assertTrue(answer.path("error").isMissingNode(), command + ": " + answer);
        return answer.get(answer.has("items") ? "items" : "results");
    }

    @Test
    void offersReachablePairedDevicesAndSendsOnce() throws Exception {
        Path first = Files.writeString(dir.resolve("first.txt"), "one");
        Path second = Files.writeString(dir.resolve("second photo.jpg"), "two");
        ProcessBuilder builder = new ProcessBuilder(PYTHON, Path.of("src/test/python/nautilus_extension_check.py")
                .toAbsolutePath().toString(), Path.of("desktop/nautilus/gsbridge-nautilus.py").toAbsolutePath()
                .toString(), first.toString(), second.toString()).redirectError(dir.resolve("checker.log").toFile());
        builder.environment().keySet().retainAll(List.of("PATH", "LANG"));
        builder.environment().put("DBUS_SESSION_BUS_ADDRESS", fx.bus.address());
        checker = builder.start();
        commands = new OutputStreamWriter(checker.getOutputStream(), StandardCharsets.UTF_8);
        answers = new BufferedReader(new InputStreamReader(checker.getInputStream(), StandardCharsets.UTF_8));

        LoopbackNode beta = fx.startBeta();
        assertEquals(0, ask("expect 0").size(), "an unpaired device is not offered");

        fx.alpha.pairWith(beta);
        assertEquals("[{\"label\":\"Send to beta\"}]", ask("expect 1").toString());
        assertEquals(0, ask("folder").size(), "folders cannot be sent");

        LoopbackNode gamma = fx.startPeer("gamma", Ports.freeRange(7));
        fx.alpha.pairWith(gamma);
        assertEquals("[{\"label\":\"Send to device\",\"submenu\":[{\"label\":\"beta\"},{\"label\":\"gamma\"}]}]",
                ask("expect 2").toString());

        try (BusMonitor monitor = BusMonitor.start(fx.bus.address(), dir.resolve("monitor.log"),
                "type='method_call',member='ShareFiles'")) {
            JsonNode results = ask("activate Send to device/gamma");
            assertEquals(1, results.size(), "one call per selection: " + results);
            assertEquals("gamma", results.get(0).get(1).asText());
            String header = monitor.process().waitForLine(Pattern.compile(
                    "member=ShareFiles$"), Duration.ofSeconds(10));
            assertTrue(header.contains("path=" + DbusService.devicePath(gamma.id()) + ";"), header);
            String log = String.join("\n", monitor.process().lines());
            // Nautilus gives escaped URIs, which is how Java spells a file URI too.
            assertTrue(log.contains("string \"" + first.toUri().toASCIIString() + "\""), log);
            assertTrue(log.contains("string \"" + second.toUri().toASCIIString() + "\""), log);
        }

        // A send refused at once (gamma went away after the menu was built) is told on the desktop.
        try (NotificationServer server = NotificationServer.start(fx.bus.address(), List.of("body"))) {
            gamma.close();
            fx.alpha.events().await(io.github.gsbridge.device.DeviceEvent.Disconnected.class,
                    e -> e.deviceId().equals(gamma.id()), Duration.ofSeconds(10));
            JsonNode results = ask("activate Send to device/gamma");
            assertEquals("error", results.get(1).get(0).asText(), results.toString());
            NotificationServer.Call told = server.await(c -> c.member().equals("Notify"), Duration.ofSeconds(10));
            assertEquals("Not sent to gamma", told.summary());
            assertEquals("Cannot send files to gamma: it is not connected", told.body());
        }
    }
}
