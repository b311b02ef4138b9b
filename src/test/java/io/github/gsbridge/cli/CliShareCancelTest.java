package io.github.gsbridge.cli;

import io.github.gsbridge.transfer.Transfer1;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.share.SharePlugin;
import io.github.gsbridge.testsupport.BusFixture;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gsbridge share} interrupted by the user: the transfer must end as cancelled, not carry on
 * in the daemon behind a command that has already returned.
 */
class CliShareCancelTest {
    private static final Duration WAIT = BusFixture.WAIT;

    @TempDir
    Path dir;
    private BusFixture fx;
    private LoopbackNode phone;

    /** Takes share requests and never fetches the payload, so a share to it waits for as long as we let it. */
    private static final class NeverFetches implements Plugin {
        @Override
        public String name() {
            return "share";
        }

        @Override
        public Set<String> incomingPacketTypes() {
            return Set.of(SharePlugin.REQUEST);
        }

        @Override
        public Set<String> outgoingPacketTypes() {
            return Set.of();
        }

        @Override
        public void handle(Device device, Packet packet) {
        }
    }

    @BeforeEach
    void start() throws Exception {
        fx = new BusFixture(dir.resolve("fixture"));
        phone = fx.paired(fx.startPeer("phone", Ports.freeRange(7), wiring -> List.of(new NeverFetches())));
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void ctrlCCancelsTheTransferAndFreesThePayloadPort() throws Exception {
        Path file = Files.write(dir.resolve("photo.jpg"), new byte[100_000]);
        String java = ProcessHandle.current().info().command().orElse("java");
        // A shell without job control starts background jobs with SIGINT ignored, and a JVM that inherits
        // that never sees Ctrl-C: so the command gets SIGINT's default back, whoever started the tests.
        try (ManagedProcess share = ManagedProcess.start("gsbridge share", List.of("env", "--default-signal=INT",
                        java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "share", "-d", "phone",
                        file.toString()),
                Map.of("PATH", System.getenv("PATH"), "DBUS_SESSION_BUS_ADDRESS", fx.bus.address()), dir,
                dir.resolve("share.log"))) {
            Matcher sending = Pattern.compile("Sending 1 file\\(s\\) to phone as (\\S+);")
                    .matcher(share.waitForLine(Pattern.compile("Ctrl-C cancels"), WAIT));
            assertTrue(sending.find());
            String transfer = sending.group(1);
            // Queued until a sender thread takes it, then active while the phone does not come.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!"active".equals(fx.property(transfer, Transfer1.NAME, "State"))) {
                assertTrue(System.nanoTime() < deadline, "the transfer never became active");
                ManagedProcess.pause(20);
            }

            share.signal("INT");

            assertEquals(130, share.awaitExit(WAIT), "killed by SIGINT\n" + share.tail(20));
            fx.awaitProperty(transfer, "State", "cancelled");
            assertTrue(share.lines().contains("Cancelled sending to phone."), share.tail(20));
            assertEquals("cancelled", fx.property(transfer, Transfer1.NAME, "State"));
        }
        // The daemon stopped waiting for the phone: its payload ports are free again at once, not
        // after the 30 s the phone would have had to fetch the file.
        Ports.awaitTcpFree(new PortRange(fx.alphaPorts.first() + 2, fx.alphaPorts.last()), Duration.ofSeconds(5));
    }
}
