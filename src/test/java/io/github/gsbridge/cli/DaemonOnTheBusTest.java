package io.github.gsbridge.cli;

import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.bus.SessionBus;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.testsupport.GsbridgeDaemon;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.PrivateBus;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gsbridge daemon} with a session bus: it takes the name, refuses to run twice, and gives the name back. */
class DaemonOnTheBusTest {
    /** The JVM ends with 128 + 15 after its shutdown hooks ran; the unit lists it as success. */
    private static final int SIGTERM_EXIT = 143;

    @TempDir
    Path dir;

    /** Loopback only, moved ports: a test daemon must not broadcast onto real networks. */
    private static List<String> loopbackArgs(PortRange ports) {
        return List.of("--udp-port", String.valueOf(ports.first()), "--tcp-ports",
                (ports.first() + 1) + "-" + (ports.first() + 1), "--payload-ports", (ports.first() + 2) + "-" + ports.last(),
                "--broadcast", "127.0.0.1", "--name", "bus box");
    }

    @Test
    void ownsTheNameOnceAndReleasesItOnExit() throws Exception {
        try (PrivateBus bus = PrivateBus.start(dir.resolve("bus"));
             DBusConnection client = SessionBus.connect(bus.address())) {
            Map<String, String> env = Map.of("HOME", dir.resolve("home").toString(),
                    "DBUS_SESSION_BUS_ADDRESS", bus.address());
            try (GsbridgeDaemon first = GsbridgeDaemon.start(dir.resolve("first"), List.of(), env,
                    loopbackArgs(Ports.freeRange(4)))) {
                first.awaitLog(GsbridgeDaemon.ON_THE_BUS);
                assertTrue(DbusService.nameOwner(client).isPresent());

                try (GsbridgeDaemon second = GsbridgeDaemon.start(dir.resolve("second"), List.of(), env,
                        loopbackArgs(Ports.freeRange(4)))) {
                    assertEquals(1, second.awaitExit());
                    String log = second.log();
                    assertTrue(log.contains("gsbridge is already running on this session bus"), log);
                    assertTrue(!log.contains("is up"), "the second one did not bind any port:\n" + log);
                }

                assertEquals(SIGTERM_EXIT, first.stop());
                assertTrue(first.log().contains("D-Bus: released io.github.gsbridge"), first.log());
            }
            assertEquals(Optional.empty(), DbusService.nameOwner(client));
        }
    }

    @Test
    void withoutASessionBusItRunsLanOnlyAndSaysSo() throws Exception {
        try (GsbridgeDaemon daemon = GsbridgeDaemon.start(dir.resolve("nobus"), List.of(),
                Map.of("HOME", dir.resolve("home").toString()), loopbackArgs(Ports.freeRange(4)))) {
            String log = daemon.awaitLog("is up");
            assertTrue(log.contains("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set): running LAN only"),
                    log);
            assertEquals(SIGTERM_EXIT, daemon.stop());
        }
    }
}
