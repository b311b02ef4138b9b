package io.github.gsbridge.handover;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The hand-over's decisions against a port user that records what it is told, and a /proc of
 * our making that says who holds the ports. GSConnect coming and going is covered by
 * realpeer.HandoverTest, with the real daemon.
 */
class HandoverDecisionsTest {
    private static final int UDP = 1716;
    private static final int TCP = 1716;

    @TempDir
    Path proc;

    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : running) {
            closeable.close();
        }
    }

    /** Records each call as a line; {@code take} fails while {@link #takeFails} holds a reason. */
    private static final class RecordingUser implements PortUser {
        final BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        volatile String takeFails;
        volatile String reason = "";

        @Override
        public int udpPort() {
            return UDP;
        }

        @Override
        public int tcpPort() {
            return TCP;
        }

        @Override
        public void take() throws IOException {
            String failure = takeFails;
            calls.add(failure == null ? "take" : "take failed");
            if (failure != null) {
                throw new IOException(failure);
            }
        }

        @Override
        public void giveBack(String why) {
            calls.add("giveBack " + why);
            reason = why;
        }

        @Override
        public void waiting(String why) {
            calls.add("waiting " + why);
            reason = why;
        }

        @Override
        public String reason() {
            return reason;
        }

        String next() throws InterruptedException {
            String call = calls.poll(10, TimeUnit.SECONDS);
            assertNotNull(call, "the hand-over did nothing within 10 s");
            return call;
        }

        /** The next call that is not a repeated wait (retries repeat it, as often as the machine is slow). */
        String nextBut(String repeated) throws InterruptedException {
            String call;
            do {
                call = next();
            } while (call.equals(repeated));
            return call;
        }
    }

    private Handover handover(RecordingUser user) {
        Handover handover = new Handover(user, false, new PortHolders(proc));
        running.add(handover);
        return handover;
    }

    /** Another user's process holds our UDP port: /proc lists the socket, but no process we can read owns it. */
    private void someoneHoldsTheUdpPort() throws IOException {
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/udp"), "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when"
                + " retrnsmt   uid  timeout inode\n"
                + String.format("   1: 00000000:%04X 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000"
                + "        0 424242 2 0000000000000000 0%n", UDP));
    }

    private void theUdpPortIsFreed() throws IOException {
        Files.delete(proc.resolve("net/udp"));
    }

    private static final String HELD = "waiting UDP port " + UDP + " is held by another program (not ours to inspect)";

    @Test
    void freePortsAreTakenWhenAsked() throws Exception {
        RecordingUser user = new RecordingUser();
        handover(user).takeOver();
        assertEquals("take", user.next());
        assertNull(user.calls.poll(), "nothing else");
    }

    @Test
    void aHeldPortIsWaitedForWithWhoHoldsItAndTakenOnceFree() throws Exception {
        someoneHoldsTheUdpPort();
        RecordingUser user = new RecordingUser();
        handover(user).takeOver();
        assertEquals(HELD, user.next());
        theUdpPortIsFreed();
        assertEquals("take", user.nextBut(HELD), "a retry took the freed port");
    }

    @Test
    void aFailedTakeIsRetriedWithItsReasonShown() throws Exception {
        RecordingUser user = new RecordingUser();
        String failure = "cannot bind UDP port " + UDP + ": Address already in use";
        user.takeFails = failure;
        handover(user).takeOver();
        assertEquals("take failed", user.next());
        assertEquals("waiting " + failure, user.next());
        user.takeFails = null;
        String call;
        do {
            call = user.next();
        } while (call.equals("take failed") || call.equals("waiting " + failure));
        assertEquals("take", call, "a retry took the ports once binding worked");
    }

    @Test
    void releasedPortsStayReleasedUntilTheUserTakesThemOver() throws Exception {
        someoneHoldsTheUdpPort();
        RecordingUser user = new RecordingUser();
        Handover handover = handover(user);
        handover.takeOver();
        assertEquals(HELD, user.next());
        handover.release();
        assertEquals("giveBack released on request; `gsbridge takeover` takes the ports again", user.nextBut(HELD));
        theUdpPortIsFreed();
        // A retry still scheduled from before the release would take the port within a second.
        assertNull(user.calls.poll(1, TimeUnit.SECONDS), "released ports are not retried");
        handover.takeOver();
        assertEquals("take", user.next());
    }
}
