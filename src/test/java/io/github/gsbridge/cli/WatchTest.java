package io.github.gsbridge.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WatchTest {
    @Test
    void aLineAtTheFullMinuteStillShowsItsSeconds() {
        assertEquals("04:24:00", Watch.clock(Instant.parse("2026-12-05T04:24:00.400Z"), ZoneOffset.UTC));
        assertEquals("04:24:07", Watch.clock(Instant.parse("2026-12-05T04:24:07Z"), ZoneOffset.UTC));
    }
}
