package io.github.gsbridge.handover;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds which processes hold a local port, from {@code /proc/net} and {@code /proc/<pid>/fd}
 * (the network namespace of this process). Processes of other users are reported without a name
 * when their descriptors cannot be read.
 */
public final class PortHolders {
    private static final Logger LOG = LoggerFactory.getLogger(PortHolders.class);
    private static final String TCP_LISTEN = "0A";

    /** A socket bound to the port, and who owns it when we can tell. */
    public record Holder(String protocol, int port, long pid, String program) {
        public String describe() {
            String who = pid > 0 ? program + " (pid " + pid + ")" : "another program (not ours to inspect)";
            return protocol + " port " + port + " is held by " + who;
        }
    }

    private final Path proc;

    PortHolders(Path proc) {
        this.proc = proc;
    }

    public static PortHolders system() {
        return new PortHolders(Path.of("/proc"));
    }

    /** Holders of UDP {@code udpPort} (any bound socket) and TCP {@code tcpPort} (listening), except us. */
    public List<Holder> find(int udpPort, int tcpPort) {
        Set<Long> udp = inodes(List.of("net/udp", "net/udp6"), udpPort, false);
        Set<Long> tcp = inodes(List.of("net/tcp", "net/tcp6"), tcpPort, true);
        List<Holder> holders = new ArrayList<>();
        if (udp.isEmpty() && tcp.isEmpty()) {
            return holders;
        }
        long self = ProcessHandle.current().pid();
        Set<Long> seenUdp = new HashSet<>();
        Set<Long> seenTcp = new HashSet<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path pidDir : pids) {
                long pid = Long.parseLong(pidDir.getFileName().toString());
                for (long inode : socketInodes(pidDir)) {
                    boolean isUdp = udp.contains(inode);
                    boolean isTcp = tcp.contains(inode);
                    if (!isUdp && !isTcp) {
                        continue;
                    }
                    (isUdp ? seenUdp : seenTcp).add(inode);
                    if (pid != self) {
                        holders.add(new Holder(isUdp ? "UDP" : "TCP", isUdp ? udpPort : tcpPort, pid, program(pidDir)));
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list processes: {}", e.getMessage());
        }
        // Sockets whose owner we could not see (another user's process) still hold the port.
        if (!seenUdp.containsAll(udp)) {
            holders.add(new Holder("UDP", udpPort, 0, ""));
        }
        if (!seenTcp.containsAll(tcp)) {
            holders.add(new Holder("TCP", tcpPort, 0, ""));
        }
        return holders;
    }

    private Set<Long> inodes(List<String> tables, int port, boolean listeningOnly) {
        Set<Long> inodes = new HashSet<>();
        String portHex = String.format(":%04X", port);
        for (String table : tables) {
            List<String> lines;
            try {
                lines = Files.readAllLines(proc.resolve(table), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length < 10 || !fields[1].endsWith(portHex)) {
                    continue;
                }
                if (listeningOnly && !fields[3].equals(TCP_LISTEN)) {
                    continue;
                }
                long inode = Long.parseLong(fields[9]);
                if (inode != 0) {
                    inodes.add(inode);
                }
            }
        }
        return inodes;
    }

    private static Set<Long> socketInodes(Path pidDir) {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pidDir.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException | NumberFormatException e) {
                    // Closed meanwhile or not a socket.
                }
            }
        } catch (IOException e) {
            // Not ours to read, or gone.
        }
        return inodes;
    }

    private static String program(Path pidDir) {
        try {
            return Files.readString(pidDir.resolve("comm")).strip();
        } catch (IOException e) {
            return "pid " + pidDir.getFileName();
        }
    }
}
