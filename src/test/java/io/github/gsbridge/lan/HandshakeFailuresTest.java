package io.github.gsbridge.lan;

import io.github.gsbridge.testsupport.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the journal shows of failing incoming handshakes: a line when something changes, not one per attempt. */
class HandshakeFailuresTest {
    private static final Duration QUIET = Duration.ofMillis(200);

    private final LogCapture log = LogCapture.start();
    private final HandshakeFailures failures = new HandshakeFailures(QUIET);

    @AfterEach
    void tearDown() {
        log.close();
    }

    @Test
    void aStreakEndsWithItsCountWhenAHandshakeFromThereSucceeds() throws Exception {
        InetAddress phone = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 3; i++) {
            failures.failed(phone, "Received fatal alert: certificate_unknown");
        }
        failures.succeeded(phone);
        failures.succeeded(phone);

        List<String> lines = log.matching("incoming connection", "from 192.0.2.1");
        assertEquals(2, lines.size(), lines::toString);
        assertEquals(1, log.matching("refused incoming connection from 192.0.2.1: "
                + "Received fatal alert: certificate_unknown").size(), lines::toString);
        assertEquals(1, log.matching("refused 2 more incoming connections from 192.0.2.1 within",
                "for the same reason: Received fatal alert: certificate_unknown").size(), lines::toString);
    }

    @Test
    void aStreakEndsWithItsCountOnceTheAddressStaysQuiet() throws Exception {
        InetAddress host = InetAddress.getByName("192.0.2.2");
        failures.failed(host, "Read timed out");
        failures.failed(host, "Read timed out");
        assertTrue(failures.sweep(), "the streak goes on, so another look is due");
        assertEquals(1, log.matching("from 192.0.2.2").size(), "not yet quiet");

        Thread.sleep(QUIET.toMillis() + 50);
        assertFalse(failures.sweep(), "no streak left: the listener's timer may sleep");
        failures.sweep();
        assertEquals(1, log.matching("refused 1 more incoming connection from 192.0.2.2 within",
                "for the same reason: Read timed out").size(), log.matching("from 192.0.2.2")::toString);

        failures.failed(host, "Read timed out");
        assertEquals(2, log.matching("refused incoming connection from 192.0.2.2: Read timed out").size(),
                "a new streak is told again");
    }

    @Test
    void aSingleFailureIsOneLineAndAddressesAreApart() throws Exception {
        InetAddress one = InetAddress.getByName("192.0.2.3");
        InetAddress two = InetAddress.getByName("192.0.2.4");
        failures.failed(one, "connection closed before an identity arrived");
        failures.failed(two, "connection closed before an identity arrived");
        failures.failed(one, "line longer than 8192 bytes");
        failures.flush();

        assertEquals(List.of("refused incoming connection from 192.0.2.3: connection closed before an identity arrived",
                        "refused incoming connection from 192.0.2.3: line longer than 8192 bytes"),
                log.matching("from 192.0.2.3").stream().map(l -> l.substring(l.indexOf("refused"))).toList());
        assertEquals(1, log.matching("from 192.0.2.4").size());
    }
}
