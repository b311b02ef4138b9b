package io.github.gsbridge.bench;

import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.plugin.share.ShareDevice1;
import io.github.gsbridge.testsupport.BusFixture;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.RandomFiles;
import io.github.gsbridge.transfer.Transfer;
import io.github.gsbridge.transfer.TransferEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Latency from a D-Bus {@code ShareFiles} call (private dbus-daemon, the real service) to the
 * first payload bytes arriving at the receiving daemon over loopback. The receiver's first
 * progress event marks them (the first one is never throttled). Prints median and 90th
 * percentile; asserts nothing. Needs dbus-daemon. Usage: ShareLatencyBenchmark [rounds, default 30]
 */
public final class ShareLatencyBenchmark {
    private ShareLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path dir = Files.createTempDirectory("gsbridge-latency");
        try (BusFixture fx = new BusFixture(dir)) {
            LoopbackNode beta = fx.pairedBeta();
            ShareDevice1 device = fx.remote(DbusService.devicePath(beta.id()), ShareDevice1.class);
            Path file = dir.resolve("one-mebibyte.bin");
            RandomFiles.write(file, 1024 * 1024, 5);
            List<Double> millis = new ArrayList<>();
            for (int round = 0; round < rounds + 3; round++) {
                beta.events().clear();
                long start = System.nanoTime();
                device.ShareFiles(List.of(file.toString()), false);
                beta.events().await(TransferEvent.Changed.class, e -> e.transfer().direction() == Transfer.Direction.IN
                        && e.transfer().bytesDone() > 0, Duration.ofSeconds(30));
                double elapsed = (System.nanoTime() - start) / 1e6;
                // The first rounds warm the JIT up; they are not counted.
                if (round >= 3) {
                    millis.add(elapsed);
                }
                beta.events().await(TransferEvent.Changed.class, e -> e.transfer().state() == Transfer.State.COMPLETED,
                        Duration.ofSeconds(30));
            }
            Collections.sort(millis);
            System.out.printf("ShareFiles call -> first payload bytes at the receiver, %d rounds:%n", millis.size());
            System.out.printf("  median %.1f ms, 90th percentile %.1f ms, max %.1f ms%n", millis.get(millis.size() / 2),
                    millis.get((int) (millis.size() * 0.9)), millis.get(millis.size() - 1));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
