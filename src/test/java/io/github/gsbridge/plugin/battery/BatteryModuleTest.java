package io.github.gsbridge.plugin.battery;

import io.github.gsbridge.plugin.WatchFormat;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BatteryModuleTest {
    private final WatchFormat watch = new BatteryModule().watch();

    private Optional<String> sentence(Map<String, Object> changed) {
        Map<String, Object> event = new java.util.LinkedHashMap<>(Map.of("event", "PropertiesChanged",
                "interface", Battery1.NAME));
        event.putAll(changed);
        return watch.sentence("Pixel", event);
    }

    @Test
    void watchSaysWhatChangedInWords() {
        assertEquals(Optional.of("Pixel: battery 79 %"), sentence(Map.of("charge", 79)));
        assertEquals(Optional.of("Pixel: battery 14 %, not charging, battery low"),
                sentence(Map.of("charge", 14, "charging", false, "low", true)));
        assertEquals(Optional.of("Pixel: charging, battery no longer low"),
                sentence(Map.of("charging", true, "low", false)));
        assertEquals(Optional.of("Pixel: battery unknown"), sentence(Map.of("charge", -1)));
        assertEquals(Optional.empty(), watch.sentence("Pixel", Map.of("event", "PropertiesChanged",
                "interface", "io.github.gsbridge.Device1", "charge", 5)));
    }

    @Test
    void devicesShowsAKnownBatteryOnly() {
        assertEquals(Optional.of("battery 80 %, charging"), watch.summary(Map.of(Battery1.NAME,
                Map.of("charge", 80, "charging", true, "low", false))));
        assertEquals(Optional.empty(), watch.summary(Map.of(Battery1.NAME,
                Map.of("charge", -1, "charging", false, "low", false))));
        assertEquals(Optional.empty(), watch.summary(Map.of("io.github.gsbridge.Device1", Map.of("name", "Pixel"))));
    }
}
