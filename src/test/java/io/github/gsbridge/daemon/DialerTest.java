package io.github.gsbridge.daemon;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DialerTest {
    @Test
    void triesEveryFiveSecondsForAMinuteThenWaitsTwiceAsLongUpToFiveMinutes() {
        assertEquals(List.of(5L, 5L, 5L, 5L, 5L, 5L, 5L, 5L, 5L, 5L, 5L, 5L, 10L, 20L, 40L, 80L, 160L, 300L, 300L),
                IntStream.rangeClosed(1, 19).mapToObj(n -> Dialer.waitAfter(n).toSeconds()).toList());
        assertEquals(Duration.ofMinutes(5), Dialer.waitAfter(10_000));
    }
}
