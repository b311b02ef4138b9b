package io.github.gsbridge.hostile;

import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.notification.NotificationPlugin;
import io.github.gsbridge.testsupport.Heap;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A paired device that posts notifications of a megabyte each. Their number was bounded, their
 * size was not: a few hundred were enough for an OutOfMemoryError that ended the device's link.
 */
class NotificationFloodTest {
    private static final int NOTIFICATIONS = 80;

    @TempDir
    Path dir;

    private HostileDaemon daemon;

    @AfterEach
    void tearDown() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void megabyteNotificationsKeepOnlyBoundedText() throws Exception {
        LocalCertificate certificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        daemon = HostileDaemon.start(dir, List.of(certificate));
        RawPeer phone = daemon.peer(certificate);
        Link link = phone.awaitLink(HostileDaemon.WAIT);
        daemon.awaitConnected(certificate.deviceId());
        long heapBefore = Heap.usedAfterGc();

        String megabyte = "m".repeat(1024 * 1024);
        for (int i = 0; i < NOTIFICATIONS; i++) {
            Packet packet = new Packet(NotificationPlugin.NOTIFICATION);
            packet.body().put("id", "n" + i).put("appName", "App").put("title", "t" + i).put("text", megabyte)
                    .put("ticker", megabyte);
            phone.send(link, packet);
        }
        String last = "n" + (NOTIFICATIONS - 1);
        daemon.events().await(NotificationPlugin.NotificationPosted.class,
                e -> e.notification().id().equals(last), HostileDaemon.WAIT);

        long heapAfter = Heap.usedAfterGc();
        System.out.printf("%d notifications of 1 MiB: heap %s -> %s%n", NOTIFICATIONS, Heap.mib(heapBefore),
                Heap.mib(heapAfter));
        // Unbounded, they kept text and ticker: 160 MiB.
        assertTrue(heapAfter - heapBefore < 32L * 1024 * 1024, "heap grew from " + Heap.mib(heapBefore) + " to "
                + Heap.mib(heapAfter));
        daemon.assertPingArrives(phone, link, "the device's own link still works");
        daemon.assertStillServing();
    }
}
