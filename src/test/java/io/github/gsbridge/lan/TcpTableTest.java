package io.github.gsbridge.lan;

import io.github.gsbridge.testsupport.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpTableTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40_000);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 1716);

    @TempDir
    Path tmp;

    /** A connected pair on loopback, both ends open for the test's body. */
    private interface PairBody {
        void run(Socket client, Socket server) throws Exception;
    }

    private static void withConnection(InetAddress loopback, PairBody body) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, loopback);
             Socket client = new Socket(loopback, listener.getLocalPort());
             Socket server = listener.accept()) {
            body.run(client, server);
        }
    }

    @Test
    void findsBothEndsOfARealConnection() throws Exception {
        for (InetAddress loopback : List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"))) {
            withConnection(loopback, (client, server) -> {
                for (Socket end : List.of(client, server)) {
                    TcpTable.SendQueue queue = TcpTable.SYSTEM.sendQueue(end).orElseThrow(
                            () -> new AssertionError(end + " is not in /proc/net/tcp6 or tcp"));
                    assertEquals(0, queue.unacknowledged(), end.toString());
                    assertEquals(0, queue.retransmissions(), end.toString());
                    assertTrue(queue.retransmissionTimeout().compareTo(Duration.ofMillis(100)) >= 0, queue.toString());
                    assertEquals(Duration.ZERO, queue.unanswered());
                }
            });
        }
    }

    /**
     * A copy of the live table with our connection's line rewritten the way the kernel prints a
     * connection that has retransmitted 500 bytes 7 times (its timeout doubled from 0.2 s to 25.6 s).
     */
    @Test
    void readsTheRetransmissionsOfAConnectionThatIsNotAnswered() throws Exception {
        withConnection(InetAddress.getByName("127.0.0.1"), (client, server) -> {
            InetSocketAddress local = (InetSocketAddress) client.getLocalSocketAddress();
            InetSocketAddress remote = (InetSocketAddress) client.getRemoteSocketAddress();
            for (String name : List.of("tcp", "tcp6")) {
                String ours = TcpTable.entry(local, name.equals("tcp6"));
                String table = Files.readAllLines(Path.of("/proc/net", name)).stream()
                        .map(line -> line.contains(" " + ours + " ") ? unanswered(line) : line)
                        .collect(Collectors.joining("\n", "", "\n"));
                Files.writeString(tmp.resolve(name), table);
            }

            TcpTable.SendQueue queue = new TcpTable(tmp).sendQueue(local, remote).orElseThrow();
            assertEquals(new TcpTable.SendQueue(500, 7, Duration.ofMillis(25_600)), queue);
            assertEquals(Duration.ofMillis(25_400), queue.unanswered());
        });
    }

    private static String unanswered(String line) {
        String[] fields = line.trim().split("\\s+");
        fields[4] = "000001F4:" + fields[4].split(":")[1];
        fields[5] = "01:00000A00";
        fields[6] = "00000007";
        fields[12] = "2560";
        return String.join(" ", fields);
    }

    @Test
    void theTimeUnansweredIsWhatTheDoubledTimeoutsAddUpTo() {
        assertEquals(Duration.ZERO, new TcpTable.SendQueue(10, 0, Duration.ofMillis(200)).unanswered());
        // 0.2 + 0.4 + 0.8 + 1.6 + 3.2 + 6.4 s, the timeout now being 12.8 s
        assertEquals(Duration.ofMillis(12_600), new TcpTable.SendQueue(10, 6, Duration.ofMillis(12_800)).unanswered());
    }

    @Test
    void withoutIpv6TheIpv4TableIsRead() throws IOException {
        Files.writeString(tmp.resolve("tcp"), "title\n" + line(LOCAL, REMOTE, false)
                + " 01 00000010:00000000 01:00000019 00000002 0 0 4242 2 0000000000000000 80 4 1 10 -1\n");
        assertEquals(Optional.of(new TcpTable.SendQueue(16, 2, Duration.ofMillis(800))),
                new TcpTable(tmp).sendQueue(LOCAL, REMOTE));
    }

    private static String line(InetSocketAddress local, InetSocketAddress remote, boolean ipv6Table) {
        return "   0: " + TcpTable.entry(local, ipv6Table) + " " + TcpTable.entry(remote, ipv6Table);
    }

    @Test
    void anUnreadableTableFindsNothingAndSaysSoOnce() throws IOException {
        TcpTable missing = new TcpTable(tmp.resolve("no-proc"));
        try (LogCapture log = LogCapture.start()) {
            assertEquals(Optional.empty(), missing.sendQueue(LOCAL, REMOTE));
            assertEquals(Optional.empty(), missing.sendQueue(LOCAL, REMOTE));
            assertEquals(1, log.matching("cannot read the kernel's TCP table").size(), log.matching("").toString());
        }

        Files.createDirectory(tmp.resolve("garbled"));
        Files.writeString(tmp.resolve("garbled/tcp6"), "title\n" + line(LOCAL, REMOTE, true) + " 01\n");
        try (LogCapture log = LogCapture.start()) {
            assertEquals(Optional.empty(), new TcpTable(tmp.resolve("garbled")).sendQueue(LOCAL, REMOTE));
            assertEquals(1, log.matching("cannot read the kernel's TCP table").size(), log.matching("").toString());
        }
    }
}
