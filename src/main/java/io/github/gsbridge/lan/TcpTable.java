package io.github.gsbridge.lan;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What Linux reports about our TCP connections in {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
 * It is the only view Java 17 gives of a connection's retransmissions: there is no
 * {@code TCP_USER_TIMEOUT} and no {@code TCP_INFO} among its socket options.
 */
final class TcpTable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpTable.class);
    static final TcpTable SYSTEM = new TcpTable(Path.of("/proc/net"));
    /** /proc prints times as clock_t, whose unit the kernel fixes at 1/100 s (USER_HZ) for user space. */
    private static final int USER_HZ = 100;
    private static final byte[] V4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    /** One connection's send side: bytes not yet acknowledged, and how its retransmissions stand. */
    record SendQueue(long unacknowledged, int retransmissions, Duration retransmissionTimeout) {
        /**
         * How long the peer has acknowledged nothing, at least. The kernel doubles the timeout at
         * each retransmission without an answer, so the ones so far took the current timeout times
         * (1 - 2^-n); where it caps or does not double, this says less, never more.
         */
        Duration unanswered() {
            if (retransmissions == 0) {
                return Duration.ZERO;
            }
            double share = 1 - Math.pow(2, -Math.min(retransmissions, 62));
            return Duration.ofNanos((long) (retransmissionTimeout.toNanos() * share));
        }
    }

    private final Path dir;
    private final AtomicBoolean unreadableReported = new AtomicBoolean();

    TcpTable(Path dir) {
        this.dir = dir;
    }

    /** The send side of {@code socket}'s connection; empty when it is not listed or the table cannot be read. */
    Optional<SendQueue> sendQueue(Socket socket) {
        if (!(socket.getLocalSocketAddress() instanceof InetSocketAddress local)
                || !(socket.getRemoteSocketAddress() instanceof InetSocketAddress remote)) {
            return Optional.empty();
        }
        return sendQueue(local, remote);
    }

    Optional<SendQueue> sendQueue(InetSocketAddress local, InetSocketAddress remote) {
        try {
            // Java's sockets are IPv6 ones with IPv4 mapped into them, unless IPv4 is preferred or the
            // kernel has no IPv6 (and then no tcp6).
            boolean ipv4 = local.getAddress() instanceof Inet4Address;
            Path tcp6 = dir.resolve("tcp6");
            Optional<SendQueue> found = ipv4 && !Files.exists(tcp6) ? Optional.empty()
                    : find(tcp6, entry(local, true), entry(remote, true));
            if (found.isEmpty() && ipv4) {
                found = find(dir.resolve("tcp"), entry(local, false), entry(remote, false));
            }
            return found;
        } catch (IOException | RuntimeException e) {
            if (unreadableReported.compareAndSet(false, true)) {
                LOG.warn("cannot read the kernel's TCP table in {} ({}): a device that vanishes while data to it"
                        + " is unacknowledged is noticed only when TCP gives up, which can take 15 minutes",
                        dir, e.toString());
            }
            return Optional.empty();
        }
    }

    private static Optional<SendQueue> find(Path table, String local, String remote) throws IOException {
        try (BufferedReader lines = Files.newBufferedReader(table)) {
            lines.readLine(); // the column titles
            String line;
            while ((line = lines.readLine()) != null) {
                // sl local remote st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer rto ...
                String[] fields = line.trim().split("\\s+");
                if (fields[1].equals(local) && fields[2].equals(remote)) {
                    long unacknowledged = Long.parseLong(fields[4].substring(0, fields[4].indexOf(':')), 16);
                    int retransmissions = (int) Long.parseLong(fields[6], 16);
                    Duration timeout = Duration.ofMillis(Long.parseLong(fields[12]) * 1000 / USER_HZ);
                    return Optional.of(new SendQueue(unacknowledged, retransmissions, timeout));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * An address as the table prints it: each 32-bit word of the network-order address as the
     * machine stores it, in hex, then the port.
     */
    static String entry(InetSocketAddress address, boolean ipv6Table) {
        byte[] bytes = address.getAddress().getAddress();
        if (ipv6Table && bytes.length == 4) {
            byte[] mapped = new byte[16];
            System.arraycopy(V4_MAPPED_PREFIX, 0, mapped, 0, 12);
            System.arraycopy(bytes, 0, mapped, 12, 4);
            bytes = mapped;
        }
        ByteBuffer words = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        StringBuilder text = new StringBuilder();
        while (words.hasRemaining()) {
            text.append(String.format("%08X", words.getInt()));
        }
        return text.append(String.format(":%04X", address.getPort())).toString();
    }
}
