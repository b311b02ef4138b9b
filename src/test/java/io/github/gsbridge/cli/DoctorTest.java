package io.github.gsbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.testsupport.BusFixture;
import io.github.gsbridge.testsupport.NotificationServer;
import io.github.gsbridge.testsupport.PrivateBus;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gsbridge doctor on a private bus and a fresh home: each check says what it found and what to do. */
class DoctorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) { }

    private Run doctor(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new java.util.ArrayList<>(List.of("doctor"));
        argv.addAll(List.of(args));
        int status = Main.run(argv, new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false, dir));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode row(JsonNode rows, String check) {
        for (JsonNode row : rows) {
            if (row.get("check").asText().equals(check)) {
                return row;
            }
        }
        throw new AssertionError("no check " + check + " in " + rows);
    }

    @Test
    void withoutABusTheBusAndTheNotificationServerFail() throws Exception {
        Run run = doctor(Map.of("HOME", dir.toString(), "PATH", "/usr/bin:/bin"));
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("session bus") && run.out().contains("FAIL"), run.out());
        assertTrue(run.err().startsWith("gsbridge doctor: "), run.err());
    }

    @Test
    void everyProblemIsNamedWithWhatToDo() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("Downloads"), "a file where the folder should be");
        try (PrivateBus bus = PrivateBus.start(dir.resolve("bus"));
             DBusConnection gsconnect = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build()) {
            gsconnect.requestBusName(Doctor.GSCONNECT_BUS_NAME);
            Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString(), "PATH", "/usr/bin:/bin",
                    "DBUS_SESSION_BUS_ADDRESS", bus.address()));
            Run run = doctor(env, "--json");
            assertEquals(1, run.status(), run.toString());
            JsonNode rows = JSON.readTree(run.out());
            assertEquals("PASS", row(rows, "session bus").get("result").asText());
            JsonNode daemon = row(rows, "gsbridge daemon");
            assertEquals("FAIL", daemon.get("result").asText());
            assertTrue(daemon.get("fix").asText().contains("systemctl --user start gsbridge"), daemon.toString());
            JsonNode gsconnectRow = row(rows, "GSConnect");
            assertEquals("FAIL", gsconnectRow.get("result").asText());
            assertEquals("gsbridge takeover (gsbridge release gives them back)", gsconnectRow.get("fix").asText());
            JsonNode downloads = row(rows, "download folder");
            assertEquals("FAIL", downloads.get("result").asText(), downloads.toString());
            assertEquals("FAIL", row(rows, "notification server").get("result").asText());
            assertEquals("PASS", row(rows, "identity").get("result").asText());

            try (NotificationServer server = NotificationServer.start(bus.address(), List.of("body"))) {
                Files.delete(home.resolve("Downloads"));
                JsonNode better = JSON.readTree(doctor(env, "--json").out());
                assertEquals("PASS", row(better, "notification server").get("result").asText());
                assertEquals("gsbridge-test-server 1", row(better, "notification server").get("detail").asText());
                assertEquals("PASS", row(better, "download folder").get("result").asText());
            }
        }
    }

    @Test
    void theRunningDaemonPasses() throws Exception {
        try (BusFixture fx = new BusFixture(dir.resolve("fixture"))) {
            Run run = doctor(Map.of("HOME", dir.toString(), "PATH", "/usr/bin:/bin",
                    "DBUS_SESSION_BUS_ADDRESS", fx.bus.address()));
            assertTrue(run.out().lines().anyMatch(l -> l.matches("gsbridge daemon +PASS +active: .*")), run.out());
        }
    }

    @Test
    void aFirewallThatBlocksTheKdeConnectPortsFails() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path ufw = bin.resolve("ufw");
        Files.writeString(ufw, "#!/bin/sh\necho 'Status: active'\necho '22/tcp ALLOW Anywhere'\n");
        Files.setPosixFilePermissions(ufw, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Map.of("HOME", dir.toString(), "PATH", bin + ":/usr/bin:/bin");
        JsonNode blocked = row(JSON.readTree(doctor(env, "--json").out()), "firewall (ufw)");
        assertEquals("FAIL", blocked.get("result").asText());
        assertTrue(blocked.get("fix").asText().startsWith("sudo ufw allow 1714:1764/udp"), blocked.toString());

        Files.writeString(ufw, "#!/bin/sh\necho 'Status: active'\necho '1714:1764/udp ALLOW Anywhere'\n");
        assertEquals("PASS", row(JSON.readTree(doctor(env, "--json").out()), "firewall (ufw)").get("result").asText());
    }
}
