package io.github.gsbridge.plugin.share;

import io.github.gsbridge.daemon.Daemon;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.device.Pairing;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.PluginSettings;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.EventRecorder;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.Stall;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.transfer.Transfer;
import io.github.gsbridge.transfer.TransferEvent;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The share plugin in a real daemon on loopback, with the in-repo raw peer as the other device:
 * hostile names, short and cut payloads, collisions, multi-file shares, text and URLs, sending.
 * The same against the real kdeconnectd is {@code realpeer.ShareInteropTest}.
 */
class SharePeerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String PEER_ID = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;

    private Daemon daemon;
    private EventRecorder events;
    private SharePlugin share;
    private RawPeer peer;
    private Link link;
    private Device device;
    private Path downloads;
    /** What the download folders say of receiving files; GSConnect's receive-files in real life. */
    private volatile boolean receivingFiles = true;

    @BeforeEach
    void setUp() throws Exception {
        PortRange ports = Ports.freeRange(7);
        PortRange peerPorts = Ports.freeRange(4);
        Path home = tmp.resolve("home");
        downloads = home.resolve("Downloads");
        LoopbackNode node = LoopbackNode.start(home.resolve(".config"), "gsbridge", ports, peerPorts.first(), wiring -> {
            DownloadDirectories xdg = new XdgDownloadDirectories(Map.of("HOME", home.toString()),
                    PluginSettings.ownFile("share", home.resolve(".config/gsbridge")));
            share = new SharePlugin(wiring.events(), wiring.transfers(), new DownloadDirectories() {
                @Override
                public Path directoryFor(String deviceId) throws IOException {
                    return xdg.directoryFor(deviceId);
                }

                @Override
                public boolean receivesFilesFrom(String deviceId) {
                    return receivingFiles;
                }
            });
            return List.of(new PingPlugin(wiring.events()), share);
        });
        daemon = node.daemon();
        events = node.events();
        peer = new RawPeer(LocalCertificate.generate(PEER_ID), PEER_ID, 8, LoopbackNode.lanConfig(peerPorts, ports.first()),
                Set.of(SharePlugin.REQUEST));
        peer.announceTo(LOOPBACK);
        link = peer.awaitLink(WAIT);
        Packet pair = new Packet(Pairing.TYPE);
        pair.body().put("pair", true).put("timestamp", System.currentTimeMillis() / 1000);
        peer.send(link, pair);
        events.await(DeviceEvent.PairRequested.class, e -> e.deviceId().equals(PEER_ID), WAIT);
        device = daemon.devices().find(PEER_ID).orElseThrow();
        device.acceptPair();
        peer.awaitPacket(p -> p.isType(Pairing.TYPE) && p.body().get("pair").asBoolean(), WAIT);
    }

    @AfterEach
    void tearDown() {
        if (peer != null) {
            peer.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    private static Packet fileShare(String filename) {
        Packet packet = new Packet(SharePlugin.REQUEST);
        packet.body().put("filename", filename);
        return packet;
    }

    /** Sends one file the way a phone does and waits for it to be written. */
    private Path receive(String filename, byte[] content) throws Exception {
        int before = events.all(SharePlugin.FileReceived.class).size();
        peer.offerPayload(link, fileShare(filename), new ByteArrayInputStream(content), content.length);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (events.all(SharePlugin.FileReceived.class).size() <= before) {
            assertTrue(System.nanoTime() < deadline, "no FileReceived for " + filename);
            Thread.sleep(20);
        }
        return Path.of(events.all(SharePlugin.FileReceived.class).get(before).path());
    }

    private Transfer awaitFinished(Transfer.State state) throws InterruptedException {
        return events.await(TransferEvent.Changed.class, e -> e.transfer().state() == state, WAIT).transfer();
    }

    private List<String> folderContents() throws IOException {
        try (Stream<Path> files = Files.list(downloads)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void hostileNamesLandInsideTheFolderUnderSafeNames() throws Exception {
        String longName = "ü".repeat(150) + ".txt";
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("../../x", "x");
        expected.put("/etc/passwd", "passwd");
        expected.put("..", SafeFileName.FALLBACK);
        expected.put("a\0b", "a_b");
        expected.put(longName, SafeFileName.of(longName));
        expected.put("two\nlines\r.txt", "two_lines_.txt");
        expected.put("\u202Egnp.exe", "gnp.exe");
        expected.put("sub/../../../x", "x (1)");
        // Every other direction control: embeddings, isolates and marks that reorder what a file manager shows.
        expected.put("invoice\u202Afdp.exe", "invoicefdp.exe");
        expected.put("a\u2066b\u2067c\u2068d\u2069.txt", "abcd.txt");
        expected.put("\u200Fright\u200E\u061Cleft.txt", "rightleft.txt");
        // A download folder at $HOME must not collect start-up files for the next login shell.
        expected.put(".bash_login", "_bash_login");
        expected.put("../.profile", "_profile");
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            byte[] content = entry.getKey().getBytes(StandardCharsets.UTF_8);
            Path path = receive(entry.getKey(), content);
            assertEquals(downloads.toRealPath(), path.getParent(), entry.getKey());
            assertEquals(entry.getValue(), path.getFileName().toString());
            assertArrayEquals(content, Files.readAllBytes(path));
        }
        assertEquals(expected.values().stream().sorted().toList(), folderContents(), "nothing else, no leftovers");
        assertTrue(SafeFileName.of(longName).getBytes(StandardCharsets.UTF_8).length <= 255);
        assertFalse(Files.exists(tmp.resolve("x")) || Files.exists(tmp.resolve("home/x")));
    }

    @Test
    void namesThatDifferOnlyInCaseOrNormalizationNeverOverwriteEachOther() throws Exception {
        // Precomposed U+00E9 and e + U+0301 look alike and are different names, as are A and a; on a
        // case- or normalization-insensitive file system they would be one name and get a number.
        List<String> names = List.of("caf\u00e9.txt", "cafe\u0301.txt", "A.txt", "a.txt");
        List<Path> received = new ArrayList<>();
        for (String name : names) {
            received.add(receive(name, name.getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < names.size(); i++) {
            assertArrayEquals(names.get(i).getBytes(StandardCharsets.UTF_8), Files.readAllBytes(received.get(i)),
                    names.get(i));
        }
        assertEquals(names.size(), received.stream().distinct().count(), "four files: " + received);
        assertEquals(names.size(), folderContents().size(), folderContents().toString());
    }

    @Test
    void anExistingFileIsNeverOverwritten() throws Exception {
        Files.createDirectories(downloads);
        Files.writeString(downloads.resolve("report.pdf"), "mine");
        Files.createSymbolicLink(downloads.resolve("report (1).pdf"), tmp.resolve("elsewhere"));
        Path received = receive("report.pdf", "theirs".getBytes(StandardCharsets.UTF_8));
        assertEquals("report (2).pdf", received.getFileName().toString());
        assertEquals("mine", Files.readString(downloads.resolve("report.pdf")));
        assertFalse(Files.exists(tmp.resolve("elsewhere")), "the dangling symlink was not followed");
        assertEquals("theirs", Files.readString(received));
    }

    @Test
    void aPayloadCutInTheMiddleLeavesNoFile() throws Exception {
        byte[] half = new byte[4 * 1024 * 1024];
        InputStream breaking = new SequenceInputStream(new ByteArrayInputStream(half), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("sender crashed");
            }
        });
        peer.offerPayload(link, fileShare("cut.bin"), breaking, 2L * half.length);
        Transfer failed = awaitFinished(Transfer.State.FAILED);
        assertTrue(failed.error().orElseThrow().startsWith("cut.bin: "), failed.error().orElseThrow());
        assertEquals(List.of(), folderContents());
        assertTrue(events.all(SharePlugin.FileReceived.class).isEmpty());
    }

    @Test
    void aPayloadShorterThanAnnouncedLeavesNoFile() throws Exception {
        byte[] data = new byte[100_000];
        peer.offerPayload(link, fileShare("short.bin"), new ByteArrayInputStream(data), data.length + 1);
        Transfer failed = awaitFinished(Transfer.State.FAILED);
        assertTrue(failed.error().orElseThrow().contains("100000 of 100001"), failed.error().orElseThrow());
        assertEquals(List.of(), folderContents());
    }

    @Test
    void aMultiFileShareIsOneTransferAndKeepsTheModificationTime() throws Exception {
        byte[][] contents = {new byte[300_000], new byte[0], new byte[2_000_000]};
        new Random(7).nextBytes(contents[0]);
        new Random(8).nextBytes(contents[2]);
        long total = contents[0].length + contents[1].length + contents[2].length;
        long modified = 1_600_000_000_123L;
        for (int i = 0; i < contents.length; i++) {
            Packet packet = fileShare("part" + i + ".dat");
            packet.body().put("numberOfFiles", contents.length).put("totalPayloadSize", total)
                    .put("lastModified", modified);
            if (contents[i].length == 0) {
                peer.send(link, packet);
            } else {
                peer.offerPayload(link, packet, new ByteArrayInputStream(contents[i]), contents[i].length)
                        .join(WAIT.toMillis());
            }
        }
        Transfer done = awaitFinished(Transfer.State.COMPLETED);
        assertEquals(Transfer.Direction.IN, done.direction());
        assertEquals(total, done.bytesTotal());
        assertEquals(total, done.bytesDone());
        assertEquals(3, done.files().size());
        List<SharePlugin.FileReceived> received = events.all(SharePlugin.FileReceived.class);
        assertEquals(3, received.size());
        assertTrue(received.stream().allMatch(r -> r.transferId() == done.id()), received.toString());
        for (int i = 0; i < contents.length; i++) {
            Path path = downloads.resolve("part" + i + ".dat");
            assertArrayEquals(contents[i], Files.readAllBytes(path));
            assertEquals(FileTime.fromMillis(modified), Files.getLastModifiedTime(path));
        }
        assertEquals(1, events.all(TransferEvent.Added.class).size(), "one transfer for the share");
    }

    @Test
    void theLinkKeepsWorkingWhileAPayloadIsPending() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        InputStream held = new InputStream() {
            private boolean sent;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                if (sent) {
                    return -1;
                }
                sent = true;
                b[off] = 42;
                return 1;
            }
        };
        peer.offerPayload(link, fileShare("slow.bin"), held, 1);
        Packet ping = new Packet(PingPlugin.TYPE);
        ping.body().put("message", "still there?");
        peer.send(link, ping);
        events.await(PingPlugin.PingReceived.class, p -> p.message().equals("still there?"), WAIT);
        assertTrue(events.all(SharePlugin.FileReceived.class).isEmpty(), "the file is still on its way");
        release.countDown();
        SharePlugin.FileReceived file = events.await(SharePlugin.FileReceived.class, e -> true, WAIT);
        assertArrayEquals(new byte[] {42}, Files.readAllBytes(Path.of(file.path())));
    }

    @Test
    void textAndUrlsArePublishedNotOpened() throws Exception {
        Packet text = new Packet(SharePlugin.REQUEST);
        text.body().put("text", "hello\nthere");
        peer.send(link, text);
        Packet url = new Packet(SharePlugin.REQUEST);
        url.body().put("url", "https://example.org/a?b=c");
        peer.send(link, url);
        events.await(SharePlugin.TextReceived.class, t -> t.text().equals("hello\nthere"), WAIT);
        events.await(SharePlugin.UrlReceived.class, u -> u.url().equals("https://example.org/a?b=c"), WAIT);
    }

    @Test
    void sendingChecksEveryFileFirst() throws Exception {
        Path good = Files.writeString(tmp.resolve("good.txt"), "ok");
        Path missing = tmp.resolve("missing.txt");
        DeviceException refused = assertThrows(DeviceException.class,
                () -> share.shareFiles(device, List.of(good, missing), false));
        assertTrue(refused.getMessage().contains(missing.toString()) && refused.getMessage().contains("does not exist"),
                refused.getMessage());
        DeviceException directory = assertThrows(DeviceException.class,
                () -> share.shareFiles(device, List.of(tmp), false));
        assertTrue(directory.getMessage().contains("not a regular file"), directory.getMessage());
        // Something that is sent arrives after anything sent before; nothing share-shaped came first.
        share.shareText(device, "marker");
        Packet first = peer.awaitPacket(p -> p.isType(SharePlugin.REQUEST), WAIT);
        assertEquals("marker", first.body().get("text").asText());
        assertTrue(events.all(TransferEvent.Added.class).isEmpty());
    }

    @Test
    void sentFilesArriveWithTheirMetadata() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 5];
        new Random(3).nextBytes(big);
        Path a = Files.write(tmp.resolve("a.bin"), big);
        Path b = Files.writeString(tmp.resolve("b.txt"), "second");
        Files.setLastModifiedTime(a, FileTime.fromMillis(1_500_000_000_000L));
        Transfer transfer = share.shareFiles(device, List.of(a, b), true);
        assertEquals(Transfer.Direction.OUT, transfer.direction());
        assertEquals(big.length + 6, transfer.bytesTotal());

        List<byte[]> received = new ArrayList<>();
        for (String name : List.of("a.bin", "b.txt")) {
            Packet packet = peer.awaitPacket(p -> p.isType(SharePlugin.REQUEST)
                    && p.body().path("filename").asText().equals(name), WAIT);
            assertEquals(2, packet.body().get("numberOfFiles").asInt());
            assertEquals(big.length + 6, packet.body().get("totalPayloadSize").asLong());
            assertTrue(packet.body().get("open").asBoolean());
            assertTrue(packet.body().has("creationTime"));
            try (InputStream in = peer.fetchPayload(link, packet)) {
                received.add(in.readAllBytes());
            }
            if (name.equals("a.bin")) {
                assertEquals(1_500_000_000_000L, packet.body().get("lastModified").asLong());
            }
        }
        assertEquals(sha256(big), sha256(received.get(0)));
        assertEquals("second", new String(received.get(1), StandardCharsets.UTF_8));
        Transfer done = awaitFinished(Transfer.State.COMPLETED);
        assertEquals(transfer.id(), done.id());
        assertEquals(big.length + 6, done.bytesDone());
    }

    @Test
    void theNextFileIsOfferedOnlyAfterAPause() throws Exception {
        Path a = Files.writeString(tmp.resolve("first.txt"), "first");
        Path b = Files.writeString(tmp.resolve("second.txt"), "second");
        share.shareFiles(device, List.of(a, b), false);
        Packet first = peer.awaitPacket(p -> p.isType(SharePlugin.REQUEST)
                && p.body().path("filename").asText().equals("first.txt"), WAIT);
        try (InputStream in = peer.fetchPayload(link, first)) {
            assertEquals("first", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        long firstEnded = System.nanoTime();
        peer.awaitPacket(p -> p.isType(SharePlugin.REQUEST)
                && p.body().path("filename").asText().equals("second.txt"), WAIT);
        long gapMs = (System.nanoTime() - firstEnded) / 1_000_000;
        // The pause starts when we close the first payload, a moment before the peer sees its end.
        assertTrue(gapMs >= OutgoingFiles.PAUSE_BETWEEN_FILES.toMillis() / 2,
                "second packet came " + gapMs + " ms after the first file ended");
    }

    @Test
    void filesAreRefusedWhileReceivingIsSwitchedOff() throws Exception {
        receivingFiles = false;
        peer.offerPayload(link, fileShare("unwanted.bin"), new byte[1000]);
        Transfer refused = awaitFinished(Transfer.State.FAILED);
        assertTrue(refused.error().orElse("").contains("unwanted.bin: receiving files from " + device.name()
                + " is switched off"), refused.error().toString());
        assertFalse(Files.exists(downloads), "nothing written, not even the folder");

        receivingFiles = true;
        assertEquals(1000, Files.size(receive("wanted.bin", new byte[1000])));
    }

    @Test
    void cancellingStopsTheUpload() throws Exception {
        Path file = Files.write(tmp.resolve("large.bin"), new byte[32 * 1024 * 1024]);
        Transfer transfer = share.shareFiles(device, List.of(file), false);
        Packet packet = peer.awaitPacket(p -> p.isType(SharePlugin.REQUEST), WAIT);
        transfer.cancel();
        assertEquals(Transfer.State.CANCELLED, transfer.state());
        // Cancelled before the peer came for it, the payload is withdrawn: its port is closed.
        assertThrows(IOException.class, () -> peer.fetchPayload(link, packet).close());
        assertEquals(Transfer.State.CANCELLED, transfer.state());
    }

    @Test
    void cancellingCutsAnUploadUnderWay() throws Exception {
        Path file = Files.write(tmp.resolve("large.bin"), new byte[256 * 1024 * 1024]);
        Transfer transfer = share.shareFiles(device, List.of(file), false);
        Packet packet = peer.awaitPacket(p -> p.isType(SharePlugin.REQUEST), WAIT);
        try (InputStream in = peer.fetchPayload(link, packet)) {
            assertEquals(1024, in.readNBytes(1024).length, "the upload started");
            Stall.await(transfer::bytesDone, WAIT, "the upload");
            // The sender is now blocked writing to us; cancelling must not wait for that write.
            assertTimeoutPreemptively(Duration.ofSeconds(5), transfer::cancel, "cancel waited on the blocked upload");
            assertThrows(IOException.class, in::readAllBytes, "the upload stopped early");
        }
        assertEquals(Transfer.State.CANCELLED, transfer.state());
    }

    /** GSConnect offers an empty file as a 0-byte payload and keeps its port until it is fetched. */
    @Test
    void anEmptyFileOfferedWithAPortIsFetched() throws Exception {
        Thread serving = peer.offerPayload(link, fileShare("empty.txt"), new byte[0]);
        SharePlugin.FileReceived file = events.await(SharePlugin.FileReceived.class, f -> true, WAIT);
        assertEquals(0, Files.size(Path.of(file.path())));
        serving.join(WAIT.toMillis());
        assertFalse(serving.isAlive(), "the sender still waits for its empty file to be fetched");
        assertEquals(Transfer.State.COMPLETED, awaitFinished(Transfer.State.COMPLETED).state());
    }

    /** kdeconnect sends an empty file as a share without payload. */
    @Test
    void anEmptyFileWithoutPayloadIsCreated() throws Exception {
        peer.send(link, fileShare("no-payload.txt"));
        SharePlugin.FileReceived file = events.await(SharePlugin.FileReceived.class, f -> true, WAIT);
        assertEquals(downloads.resolve("no-payload.txt").toString(), file.path());
        assertEquals(0, Files.size(Path.of(file.path())));
    }

    @Test
    void anEmptyFileIsOfferedWithAPortAndFetched() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.txt"));
        Transfer transfer = share.shareFiles(device, List.of(empty), false);
        Packet packet = peer.awaitPacket(p -> p.isType(SharePlugin.REQUEST), WAIT);
        assertEquals(0, packet.payloadSize());
        assertTrue(packet.payloadPort().isPresent(), "GSConnect creates nothing without a payload to fetch");
        try (InputStream in = peer.fetchPayload(link, packet)) {
            assertEquals(-1, in.read());
        }
        assertEquals(transfer.id(), awaitFinished(Transfer.State.COMPLETED).id());
    }

    @Test
    void anEmptyFileCountsAsSentWhenTheReceiverDropsTheConnectionOrNeverComes() throws Exception {
        Path dropped = Files.createFile(tmp.resolve("dropped.txt"));
        Transfer first = share.shareFiles(device, List.of(dropped), false);
        Packet packet = peer.awaitPacket(p -> p.isType(SharePlugin.REQUEST), WAIT);
        new Socket(LOOPBACK, packet.payloadPort().getAsInt()).close();
        assertEquals(first.id(), awaitFinished(Transfer.State.COMPLETED).id());

        // kdeconnect never fetches a 0-byte payload: it makes the file from the packet.
        Path ignored = Files.createFile(tmp.resolve("ignored.txt"));
        Transfer second = share.shareFiles(device, List.of(ignored), false);
        events.await(TransferEvent.Changed.class, e -> e.transfer().id() == second.id()
                && e.transfer().state() == Transfer.State.COMPLETED, WAIT);
    }

    /** kdeconnectd 22.12 connects for the file and aborts the TLS handshake when it will not take it. */
    @Test
    void anUploadTheReceiverBreaksOffFailsAtOnceSayingSo() throws Exception {
        Path file = Files.write(tmp.resolve("refused.bin"), new byte[10_000]);
        Transfer transfer = share.shareFiles(device, List.of(file), false);
        Packet packet = peer.awaitPacket(p -> p.isType(SharePlugin.REQUEST), WAIT);
        try (Socket socket = new Socket(LOOPBACK, packet.payloadPort().getAsInt())) {
            socket.getOutputStream().write("not a ClientHello\n".getBytes(StandardCharsets.US_ASCII));
        }
        // Well before the 30 s accept timeout the upload used to wait out.
        Transfer failed = awaitFinished(Transfer.State.FAILED);
        assertEquals(transfer.id(), failed.id());
        String error = failed.error().orElseThrow();
        assertTrue(error.contains("refused.bin") && error.contains("the device refused the file"), error);
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
