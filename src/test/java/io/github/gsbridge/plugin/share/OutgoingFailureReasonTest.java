package io.github.gsbridge.plugin.share;

import io.github.gsbridge.device.DeviceException;
import org.junit.jupiter.api.Test;

import java.net.SocketException;
import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A failed share says why in the user's words, by device name, not with the socket's or the id's. */
class OutgoingFailureReasonTest {
    @Test
    void timeoutsAndBrokenConnectionsAreNamedForTheUser() {
        assertEquals("Pixel 7 did not take the file in time; is it awake, and is KDE Connect open on it?",
                OutgoingFiles.reason("Pixel 7", new SocketTimeoutException("Accept timed out")));
        assertEquals("Pixel 7 is no longer connected",
                OutgoingFiles.reason("Pixel 7", new DeviceException.NotReachable("0123456789abcdef")));
        assertEquals("the connection to Pixel 7 broke off",
                OutgoingFiles.reason("Pixel 7", new SocketException("Connection reset")));
    }
}
