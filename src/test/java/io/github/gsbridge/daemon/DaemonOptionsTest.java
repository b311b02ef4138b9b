package io.github.gsbridge.daemon;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonOptionsTest {
    private static final Map<String, String> ENV = Map.of("HOME", "/home/someone");

    @Test
    void theProtocolIsChosenByTheInstalledGsconnectUnlessGiven() {
        assertEquals(OptionalInt.empty(), DaemonOptions.parse(List.of(), ENV).protocol());
        assertEquals(OptionalInt.of(7), DaemonOptions.parse(List.of("--protocol", "7"), ENV).protocol());
        assertEquals(OptionalInt.of(8), DaemonOptions.parse(List.of("--protocol", "8"), ENV).protocol());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DaemonOptions.parse(List.of("--protocol", "9"), ENV));
        assertTrue(refused.getMessage().contains("--protocol takes 7 or 8"), refused.getMessage());
    }
}
