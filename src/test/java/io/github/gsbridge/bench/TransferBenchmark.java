package io.github.gsbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.NamespacePair;
import io.github.gsbridge.testsupport.RandomFiles;
import io.github.gsbridge.tls.LocalCertificate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.github.gsbridge.testsupport.GsbridgeProcess.event;

/**
 * File transfer throughput over a veth between two network namespaces: (a) kdeconnectd 22.12 to
 * gsbridge, (b) gsbridge to gsbridge, (c) plain TCP as the ceiling of the link. Each figure is
 * wall time from the send command to the receiver's finished file. Needs root, kdeconnectd,
 * dconf, dbus and openssl, like the interop tests; run it with {@code bench/transfer.sh}.
 */
public final class TransferBenchmark {
    private static final Duration SETUP = Duration.ofSeconds(30);
    private static final Duration TRANSFER = Duration.ofMinutes(10);
    private static final Pattern RECEIVED = Pattern.compile("RECEIVED (\\d+) (\\d+)");

    private record Row(String path, long bytes, long nanos) { }

    private TransferBenchmark() {}

    public static void main(String[] args) throws Exception {
        long bytes = (args.length > 0 ? Long.parseLong(args[0]) : 512) * 1024 * 1024;
        System.setProperty(GsbridgeProcess.LOG_LEVEL_PROPERTY, "info");
        Path dir = Files.createTempDirectory("gsbridge-bench");
        List<Row> rows = new ArrayList<>();
        try (NamespacePair ns = NamespacePair.create()) {
            System.err.println("[bench] veth " + ns + ", " + bytes / (1024 * 1024) + " MiB per transfer");
            rows.addAll(withKdeconnectd(ns, dir.resolve("a"), bytes));
            rows.add(betweenGsbridges(ns, dir.resolve("b"), bytes));
            rows.add(baseline(ns, dir.resolve("c"), bytes, false));
            rows.add(baseline(ns, dir.resolve("d"), bytes, true));
        } finally {
            deleteTree(dir);
        }
        System.out.printf("%-42s %8s %9s %9s%n", "transfer over the veth", "MiB", "seconds", "MB/s");
        for (Row row : rows) {
            double seconds = row.nanos() / 1e9;
            System.out.printf("%-42s %8d %9.2f %9.1f%n", row.path(), row.bytes() / (1024 * 1024), seconds,
                    row.bytes() / 1e6 / seconds);
        }
        System.out.println("(MB = 10^6 bytes; (a),(b),(e): wall time from the send command to the complete file; (c),(d): timed by the receiver)");
    }

    /** kdeconnectd buffers a received file in RAM and slows down with size: 64 MiB to it, as the issue asks. */
    private static final long TO_KDECONNECTD = 64L * 1024 * 1024;

    private static List<Row> withKdeconnectd(NamespacePair ns, Path dir, long bytes) throws Exception {
        String gsbridgeName = "gsbridge-bench";
        try (GsconnectHome gsconnect = GsconnectHome.create(dir.resolve("gsconnect"), LocalCertificate.newDeviceId(),
                gsbridgeName)) {
            KdeConnectPeer.Identity identity = KdeConnectPeer.generateIdentity(dir.resolve("kdc-identity"),
                    KdeConnectPeer.randomDeviceId());
            gsconnect.pair(identity.deviceId(), "kdc-bench", "desktop", identity.certificatePem());
            try (KdeConnectPeer kdc = KdeConnectPeer.builder(dir.resolve("kdc"), ns, ns.nsA()).name("kdc-bench")
                    .certificate(identity.certificate(), identity.privateKey())
                    .trust(gsconnect.deviceId(), gsbridgeName, gsconnect.certificatePem())
                    .loggingRules("kdeconnect.*=false;kdeconnect.core=true").start();
                 GsbridgeProcess gsbridge = GsbridgeProcess.start(dir.resolve("gsbridge"), ns.execPrefix(ns.nsB()),
                         gsconnect.environment(), List.of("--identity", "gsconnect"))) {
                gsbridge.awaitEvent(event("Connected", kdc.deviceId()), SETUP);
                kdc.awaitReachable(gsconnect.deviceId(), true, SETUP);
                Path source = dir.resolve("from-kdc.bin");
                String sha = RandomFiles.write(source, bytes, 1);
                long start = System.nanoTime();
                kdc.cli("--share", source.toString(), "-d", gsconnect.deviceId()).assertOk("kdeconnect-cli --share");
                JsonNode received = gsbridge.awaitEvent(e -> e.get("event").asText().equals("FileReceived"), TRANSFER);
                long nanos = System.nanoTime() - start;
                verify(Path.of(received.get("path").asText()), sha);
                Row in = new Row("(a) kdeconnectd -> gsbridge", bytes, nanos);

                Path outgoing = dir.resolve("to-kdc.bin");
                String outSha = RandomFiles.write(outgoing, TO_KDECONNECTD, 4);
                Path arrived = kdc.downloadDir().resolve("to-kdc.bin");
                long outStart = System.nanoTime();
                gsbridge.command("share-files " + kdc.deviceId() + " false " + outgoing);
                // kdeconnectd writes NAME.part and renames it once the sender closed the payload.
                long deadline = System.nanoTime() + TRANSFER.toNanos();
                while (!Files.exists(arrived) || Files.size(arrived) != TO_KDECONNECTD) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("kdeconnectd did not receive " + arrived);
                    }
                    Thread.sleep(20);
                }
                long outNanos = System.nanoTime() - outStart;
                verify(arrived, outSha);
                return List.of(in, new Row("(e) gsbridge -> kdeconnectd", TO_KDECONNECTD, outNanos));
            }
        }
    }

    private static Row betweenGsbridges(NamespacePair ns, Path dir, long bytes) throws Exception {
        try (GsbridgeProcess sender = ownGsbridge(ns, ns.nsA(), dir.resolve("sender"));
             GsbridgeProcess receiver = ownGsbridge(ns, ns.nsB(), dir.resolve("receiver"))) {
            sender.awaitEvent(event("Connected", receiver.deviceId()), SETUP);
            sender.command("pair " + receiver.deviceId());
            receiver.awaitEvent(event("PairRequested", sender.deviceId()), SETUP);
            receiver.command("accept " + sender.deviceId());
            sender.awaitEvent(event("Paired", receiver.deviceId()), SETUP);
            Path source = dir.resolve("between.bin");
            String sha = RandomFiles.write(source, bytes, 2);
            long start = System.nanoTime();
            sender.command("share-files " + receiver.deviceId() + " false " + source);
            JsonNode received = receiver.awaitEvent(e -> e.get("event").asText().equals("FileReceived"), TRANSFER);
            long nanos = System.nanoTime() - start;
            verify(Path.of(received.get("path").asText()), sha);
            return new Row("(b) gsbridge -> gsbridge", bytes, nanos);
        }
    }

    private static GsbridgeProcess ownGsbridge(NamespacePair ns, String namespace, Path dir) throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        return GsbridgeProcess.start(dir, ns.execPrefix(namespace),
                Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve(".config").toString()),
                List.of("--identity", "own", "--name", "bench-" + namespace.substring(namespace.length() - 1)));
    }

    /** A Java socket pair in the same namespaces: the link without the protocol, with or without TLS. */
    private static Row baseline(NamespacePair ns, Path dir, long bytes, boolean tls) throws Exception {
        Files.createDirectories(dir);
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        String mode = tls ? "tls" : "plain";
        int port = 5201;
        List<String> receive = new ArrayList<>(ns.execPrefix(ns.nsB()));
        receive.addAll(List.of(java, "-cp", classpath, RawTcp.class.getName(), "receive", String.valueOf(port), mode));
        try (ManagedProcess receiver = ManagedProcess.start("baseline-receive", receive, null, dir,
                dir.resolve("receive.log"))) {
            receiver.waitForLine(Pattern.compile("LISTENING"), SETUP);
            ns.exec(ns.nsA(), TRANSFER, java, "-cp", classpath, RawTcp.class.getName(), "send", ns.addressB(),
                    String.valueOf(port), String.valueOf(bytes), mode).assertOk("baseline sender");
            Matcher done = RECEIVED.matcher(receiver.waitForLine(RECEIVED, TRANSFER));
            if (!done.find() || Long.parseLong(done.group(1)) != bytes) {
                throw new IllegalStateException("baseline receiver got the wrong count: " + receiver.tail(5));
            }
            // Timed by the receiver, from accept to EOF: a JVM start would otherwise dominate.
            return new Row(tls ? "(d) TLS stream (gsbridge's TLS sockets)" : "(c) raw TCP (Java sockets)", bytes,
                    Long.parseLong(done.group(2)));
        }
    }

    private static void verify(Path received, String sha) throws IOException {
        if (!RandomFiles.sha256(received).equals(sha)) {
            throw new IllegalStateException(received + " differs from what was sent");
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
