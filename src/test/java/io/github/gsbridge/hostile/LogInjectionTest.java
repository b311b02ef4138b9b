package io.github.gsbridge.hostile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.Packet;
import io.github.gsbridge.wire.PacketCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stranger's words before any TLS, in the clear identity over UDP and over TCP: a deviceId or
 * targetDeviceId carrying line breaks, a forged log line and terminal escape sequences. The real
 * daemon logs at debug level, as {@code --verbose} does, so every place that quotes them prints;
 * its log must still have one line per message and no control character a terminal obeys.
 */
class LogInjectionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** A line the daemon never wrote, a terminal title, a screen clear and a bell. */
    private static final String FORGED = "\n00:00:00.000 [WARN] Daemon - FORGED paired with attacker\r"
            + "\u001b]0;owned\u0007\u001b[2J\u0085\u2028";

    @TempDir
    Path dir;

    private GsbridgeProcess daemon;

    @AfterEach
    void tearDown() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    private static Packet identity(String deviceId, String targetDeviceId) {
        Packet packet = Identity.of(LocalCertificate.newDeviceId(), "stranger", "phone", 8, Set.of(),
                Set.of()).toPacket();
        ObjectNode body = packet.body();
        body.put("deviceId", deviceId);
        body.put("deviceName", "name" + FORGED);
        if (targetDeviceId != null) {
            body.put("targetDeviceId", targetDeviceId).put("targetProtocolVersion", 8);
        }
        return packet;
    }

    @Test
    void peerWordsBeforeTlsCannotForgeALineOrReachTheTerminal() throws Exception {
        PortRange ports = Ports.freeRange(4);
        daemon = GsbridgeProcess.start(dir.resolve("daemon"), List.of(), Map.of("HOME", dir.toString()), List.of(
                "--identity", "own", "--udp-port", String.valueOf(ports.first()),
                "--peer-udp-port", String.valueOf(ports.first()), "--tcp-ports", String.valueOf(ports.first() + 1),
                "--payload-ports", (ports.first() + 2) + "-" + ports.last(),
                "--broadcast", "127.0.0.1", "--no-desktop-notifications"));
        daemon.awaitState("active", WAIT);
        String valid = LocalCertificate.newDeviceId();

        try (DatagramSocket udp = new DatagramSocket()) {
            for (Packet packet : List.of(identity("udp" + FORGED, null), identity(valid, "udp-target" + FORGED))) {
                byte[] line = PacketCodec.encode(packet);
                udp.send(new DatagramPacket(line, line.length,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.first())));
            }
        }
        for (Packet packet : List.of(identity("tcp" + FORGED, null), identity(valid, "tcp-target" + FORGED))) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), ports.first() + 1)) {
                socket.getOutputStream().write(PacketCodec.encode(packet));
                HandshakeAbuseTest.awaitDropped(socket);
            }
        }

        awaitLog("ignored UDP announcement from 127.0.0.1", "udp");
        awaitLog("refused incoming connection from 127.0.0.1", "invalid deviceId \"tcp");
        awaitLog("refused incoming connection from 127.0.0.1", "wanted device tcp-target");
        byte[] log = Files.readAllBytes(dir.resolve("daemon/daemon.log"));
        for (byte b : log) {
            assertTrue(b >= 0x20 || b == '\n' || b == '\t', "control byte " + b + " in the log:\n" + daemon.logTail(20));
        }
        String text = new String(log, StandardCharsets.UTF_8);
        assertFalse(text.contains("\u0085") || text.contains("\u2028"), "a Unicode line break in the log");
        List<String> lines = Arrays.asList(text.split("\n"));
        assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("00:00:00.000")).toList(), "forged lines");
        assertTrue(lines.stream().filter(l -> l.contains("FORGED"))
                .allMatch(l -> l.contains("\\u001b]0;owned\\u0007\\u001b[2J")), "each mention is escaped in place");
    }

    private void awaitLog(String... fragments) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (Arrays.stream(daemon.log().split("\n"))
                .noneMatch(line -> Arrays.stream(fragments).allMatch(line::contains))) {
            assertTrue(System.nanoTime() < deadline, "no log line with " + Arrays.toString(fragments) + ":\n"
                    + daemon.logTail(20));
            Thread.sleep(50);
        }
    }
}
