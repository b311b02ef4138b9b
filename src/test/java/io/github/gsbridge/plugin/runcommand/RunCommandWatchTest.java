package io.github.gsbridge.plugin.runcommand;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@code gsbridge watch} says when a device's commands change. */
class RunCommandWatchTest {
    private final RunCommandModule module = new RunCommandModule();

    private Optional<String> sentence(Map<String, Object> event) {
        return module.watch().sentence("Pixel", event);
    }

    @Test
    void theDevicesCommandsAreNamed() {
        Map<String, Object> commands = new LinkedHashMap<>();
        commands.put("k1", Map.of("name", "Lock", "command", "x"));
        commands.put("k2", Map.of("name", "Suspend", "command", "y"));
        assertEquals(Optional.of("Pixel: offers commands Lock, Suspend"), sentence(Map.of("event", "PropertiesChanged",
                "interface", RunCommand1.NAME, "remoteCommands", commands)));
        assertEquals(Optional.of("Pixel: offers no commands"), sentence(Map.of("event", "PropertiesChanged",
                "interface", RunCommand1.NAME, "remoteCommands", Map.of())));
    }

    @Test
    void otherChangesAreNotItsToTell() {
        assertEquals(Optional.empty(), sentence(Map.of("event", "PropertiesChanged", "interface", RunCommand1.NAME,
                "commands", Map.of())));
        assertEquals(Optional.empty(), sentence(Map.of("event", "PropertiesChanged",
                "interface", "io.github.gsbridge.Device1", "remoteCommands", Map.of())));
        assertEquals(Optional.empty(), sentence(Map.of("event", "PingReceived")));
    }
}
