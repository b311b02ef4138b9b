package io.github.gsbridge.bench;

import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.plugin.PluginSettings;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.plugin.share.SharePlugin;
import io.github.gsbridge.plugin.share.XdgDownloadDirectories;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.RandomFiles;
import io.github.gsbridge.transfer.Transfer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * gsbridge to gsbridge over loopback in one JVM, no root needed: two daemons, one share of a file
 * of the given size, a few rounds so the JIT warms up. Prints MB/s per round; asserts nothing.
 * Usage: LoopbackShareBenchmark [MiB, default 1024] [rounds, default 3]
 */
public final class LoopbackShareBenchmark {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private LoopbackShareBenchmark() {}

    public static void main(String[] args) throws Exception {
        long bytes = (args.length > 0 ? Long.parseLong(args[0]) : 1024) * 1024 * 1024;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("gsbridge-loopback-bench");
        PortRange a = Ports.freeRange(6);
        PortRange b = Ports.freeRange(6);
        try (LoopbackNode sender = node(dir.resolve("sender"), "sender", a, b.first());
             LoopbackNode receiver = node(dir.resolve("receiver"), "receiver", b, a.first())) {
            sender.events().await(DeviceEvent.Connected.class, e -> e.deviceId().equals(receiver.id()), WAIT);
            sender.device(receiver.id()).requestPair();
            receiver.events().await(DeviceEvent.PairRequested.class, e -> true, WAIT);
            receiver.device(sender.id()).acceptPair();
            sender.events().await(DeviceEvent.Paired.class, e -> true, WAIT);
            Path source = dir.resolve("source.bin");
            RandomFiles.write(source, bytes, 7);
            SharePlugin share = sender.daemon().plugins().get(SharePlugin.class);
            for (int round = 1; round <= rounds; round++) {
                receiver.events().clear();
                long start = System.nanoTime();
                Transfer transfer = share.shareFiles(sender.device(receiver.id()), List.of(source), false);
                SharePlugin.FileReceived received = receiver.events().await(SharePlugin.FileReceived.class,
                        e -> true, Duration.ofMinutes(10));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("round %d: %d MiB in %.2f s = %.0f MB/s (%s)%n", round, bytes >> 20, seconds,
                        bytes / seconds / 1e6, transfer.state());
                Files.delete(Path.of(received.path()));
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static LoopbackNode node(Path home, String name, PortRange ports, int peerUdpPort) throws Exception {
        return LoopbackNode.start(home, name, ports, peerUdpPort, wiring -> List.of(new PingPlugin(wiring.events()),
                new SharePlugin(wiring.events(), wiring.transfers(),
                        new XdgDownloadDirectories(Map.of("HOME", home.toString()),
                                PluginSettings.ownFile("share", home.resolve("gsbridge"))))));
    }
}
