package io.github.gsbridge.hostile;

import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.share.SharePlugin;
import io.github.gsbridge.testsupport.Heap;
import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.RealComponents;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.transfer.Transfer;
import io.github.gsbridge.transfer.TransferEvent;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File shares that go wrong on purpose, end to end: a payload longer than announced, a download
 * folder that is full or read-only, absurd share totals. Short and cut payloads, hostile names and
 * existing files are in {@code SharePeerTest}.
 */
class HostileTransfersTest {
    private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private HostileDaemon daemon;
    private RawPeer peer;
    private Link link;
    private boolean mounted;

    @BeforeEach
    void setUp() throws Exception {
        LocalCertificate certificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        daemon = HostileDaemon.start(dir, List.of(certificate));
        peer = daemon.peer(certificate);
        link = peer.awaitLink(HostileDaemon.WAIT);
        daemon.awaitConnected(certificate.deviceId());
    }

    @AfterEach
    void tearDown() {
        if (daemon != null) {
            daemon.close();
        }
        if (mounted) {
            ManagedProcess.run(List.of("umount", daemon.downloads.toString()), null, MOUNT_TIMEOUT)
                    .assertOk("umount the download folder");
        }
    }

    /** Mounts a tmpfs with {@code options} over the (empty) download folder; root only, and root ignores modes. */
    private void mountDownloads(String options) {
        RealComponents.requireRoot();
        ManagedProcess.run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", daemon.downloads.toString()), null,
                MOUNT_TIMEOUT).assertOk("mount a tmpfs (" + options + ") on the download folder");
        mounted = true;
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static Packet file(String name) {
        Packet packet = new Packet(SharePlugin.REQUEST);
        packet.body().put("filename", name);
        return packet;
    }

    private byte[] receive(Packet packet, byte[] content) throws Exception {
        peer.offerPayload(link, packet, new ByteArrayInputStream(content), content.length);
        String name = packet.body().get("filename").asText();
        SharePlugin.FileReceived file = daemon.events().await(SharePlugin.FileReceived.class,
                f -> Path.of(f.path()).getFileName().toString().equals(name), HostileDaemon.WAIT);
        return Files.readAllBytes(Path.of(file.path()));
    }

    private Transfer awaitFailed() throws InterruptedException {
        return daemon.events().await(TransferEvent.Changed.class,
                e -> e.transfer().state() == Transfer.State.FAILED, HostileDaemon.WAIT).transfer();
    }

    @Test
    void aPayloadLongerThanAnnouncedKeepsExactlyTheAnnouncedBytes() throws Exception {
        byte[] served = random(1024 * 1024 + 64 * 1024, 1);
        int announced = 1024 * 1024;
        peer.offerPayload(link, file("longer.bin"), new ByteArrayInputStream(served), announced, served.length);
        SharePlugin.FileReceived file = daemon.events().await(SharePlugin.FileReceived.class, f -> true,
                HostileDaemon.WAIT);
        assertArrayEquals(Arrays.copyOf(served, announced), Files.readAllBytes(Path.of(file.path())));
        daemon.assertStillServing();
        daemon.assertFiles(List.of("longer.bin"));
    }

    @Test
    void aFullDownloadFolderFailsTheFileAndKeepsNothing() throws Exception {
        mountDownloads("size=1m");
        peer.offerPayload(link, file("big.bin"), new ByteArrayInputStream(random(3 * 1024 * 1024, 2)),
                3 * 1024 * 1024);
        Transfer failed = awaitFailed();
        assertTrue(failed.error().orElseThrow().contains("No space left on device"), failed.error().orElseThrow());
        daemon.log.await(HostileDaemon.WAIT, SharePlugin.REQUEST + " 'big.bin' failed", "No space left on device");
        daemon.assertFiles(List.of());
        // The partial file is gone, so its space is free again for a file that fits.
        byte[] small = random(100_000, 3);
        assertArrayEquals(small, receive(file("small.bin"), small));
        daemon.assertStillServing();
        daemon.assertFiles(List.of("small.bin"));
    }

    @Test
    void aReadOnlyDownloadFolderFailsTheFileCleanly() throws Exception {
        mountDownloads("ro,size=1m");
        peer.offerPayload(link, file("denied.bin"), new ByteArrayInputStream(random(10_000, 4)), 10_000);
        Transfer failed = awaitFailed();
        assertTrue(failed.error().orElseThrow().contains("Read-only file system"), failed.error().orElseThrow());
        daemon.log.await(HostileDaemon.WAIT, SharePlugin.REQUEST + " 'denied.bin' failed", "Read-only file system");
        daemon.assertStillServing();
        daemon.assertFiles(List.of());
    }

    @Test
    void absurdShareTotalsAreNeitherAllocatedNorLoopedOver() throws Exception {
        long heapBefore = Heap.usedAfterGc();
        Packet first = file("first.bin");
        first.body().put("numberOfFiles", 1_000_000_000).put("totalPayloadSize", Long.MAX_VALUE);
        byte[] content = random(64 * 1024, 5);
        assertArrayEquals(content, receive(first, content));
        Packet update = new Packet(SharePlugin.UPDATE);
        update.body().put("numberOfFiles", Integer.MAX_VALUE).put("totalPayloadSize", Long.MAX_VALUE);
        peer.send(link, update);
        Packet second = file("second.bin");
        second.body().put("numberOfFiles", 99_999_999_999L).put("totalPayloadSize", -1);
        assertArrayEquals(content, receive(second, content));
        long heapAfter = Heap.usedAfterGc();
        System.out.printf("absurd totals: heap %s -> %s%n", Heap.mib(heapBefore), Heap.mib(heapAfter));
        assertTrue(heapAfter - heapBefore < 16L * 1024 * 1024, "heap grew from " + Heap.mib(heapBefore) + " to "
                + Heap.mib(heapAfter));
        Transfer running = daemon.node.daemon().transfers().all().stream()
                .filter(t -> t.direction() == Transfer.Direction.IN).findFirst().orElseThrow();
        // One share still waiting for the files it claimed; it is given up once the device goes quiet.
        assertEquals(Transfer.State.ACTIVE, running.state());
        assertEquals(2, running.files().size());
        daemon.assertStillServing();
        daemon.assertFiles(List.of("first.bin", "second.bin"));
    }

    @Test
    void anAbsurdModificationTimeDoesNotCostTheFile() throws Exception {
        byte[] content = random(1000, 6);
        for (long modified : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1}) {
            Packet packet = file("time" + modified + ".bin");
            packet.body().put("lastModified", modified);
            assertArrayEquals(content, receive(packet, content));
        }
        daemon.assertStillServing();
    }
}
