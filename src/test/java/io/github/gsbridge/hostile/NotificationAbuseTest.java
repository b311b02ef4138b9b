package io.github.gsbridge.hostile;

import io.github.gsbridge.plugin.notification.NotificationPackets;
import io.github.gsbridge.plugin.notification.OutgoingNotification;
import io.github.gsbridge.plugin.notification.NotificationPlugin;
import io.github.gsbridge.testsupport.Heap;
import io.github.gsbridge.testsupport.Stage;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Paired devices that abuse notifications. Notifications of a megabyte each: their number was
 * bounded, their size was not, and a few hundred ended the device's link with an
 * OutOfMemoryError. Icons that trickle in a byte at a time: icons both ways used to share two
 * threads without a deadline, so one phone's downloads kept our notification to another phone
 * from leaving for minutes; now a device holds up only its own icons, until the icon deadline.
 */
class NotificationAbuseTest {
    private static final int NOTIFICATIONS = 80;
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @RegisterExtension
    final Stage<Void> stage = Stage.eachTest();

    private HostileDaemon daemon;

    /** One byte every 200 ms: never idle long enough for a stall timeout, done only after minutes. */
    private static InputStream trickle() {
        return new InputStream() {
            @Override
            public int read() {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
    }

    @Test
    void trickledIconsFromOneDeviceNeitherDelayAnotherNorLastForever() throws Exception {
        LocalCertificate a = LocalCertificate.generate(LocalCertificate.newDeviceId());
        LocalCertificate b = LocalCertificate.generate(LocalCertificate.newDeviceId());
        daemon = stage.track(HostileDaemon.start(stage.dir(), List.of(a, b)));
        HostileDaemon.Linked phoneA = daemon.linked(a);
        HostileDaemon.Linked phoneB = daemon.linked(b);

        for (int i = 0; i < 2; i++) {
            Packet posted = new Packet(NotificationPackets.NOTIFICATION);
            posted.body().put("id", "slow" + i).put("appName", "App").put("ticker", "slow icon " + i)
                    .put("payloadHash", String.format("%032x", i));
            phoneA.peer().offerPayload(phoneA.link(), posted, trickle(), 100_000);
        }
        daemon.events().await(NotificationPlugin.NotificationPosted.class,
                e -> e.notification().id().equals("slow1"), HostileDaemon.WAIT);

        byte[] icon = Arrays.copyOf(PNG_SIGNATURE, 64);
        Path iconFile = Files.write(stage.dir().resolve("icon.png"), icon);
        NotificationPlugin plugin = daemon.node.daemon().plugins().get(NotificationPlugin.class);
        String id = plugin.send(daemon.node.device(b.deviceId()), new OutgoingNotification(Optional.of("to-b"),
                "gsbridge", "For B", "while A trickles", Optional.of(iconFile), true));
        Packet toB = phoneB.peer().awaitPacket(p -> p.isType(NotificationPackets.NOTIFICATION)
                && p.body().path("id").asText().equals(id), HostileDaemon.WAIT);
        try (InputStream in = phoneB.peer().fetchPayload(phoneB.link(), toB)) {
            assertArrayEquals(icon, in.readAllBytes());
        }

        // A's first icon is given up at the deadline instead of taking the eight minutes it would.
        daemon.log.await(NotificationPlugin.ICON_DEADLINE.plus(HostileDaemon.WAIT), a.deviceId(),
                "icon not received within " + NotificationPlugin.ICON_DEADLINE.toSeconds() + " s");
        daemon.assertPingArrives(phoneA.peer(), phoneA.link(), "A's link still works");
        daemon.assertStillServing();
    }

    @Test
    void megabyteNotificationsKeepOnlyBoundedText() throws Exception {
        LocalCertificate certificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        daemon = stage.track(HostileDaemon.start(stage.dir(), List.of(certificate)));
        HostileDaemon.Linked phone = daemon.linked(certificate);
        long heapBefore = Heap.usedAfterGc();

        String megabyte = "m".repeat(1024 * 1024);
        for (int i = 0; i < NOTIFICATIONS; i++) {
            Packet packet = new Packet(NotificationPackets.NOTIFICATION);
            packet.body().put("id", "n" + i).put("appName", "App").put("title", "t" + i).put("text", megabyte)
                    .put("ticker", megabyte);
            phone.send(packet);
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
        daemon.assertPingArrives(phone.peer(), phone.link(), "the device's own link still works");
        daemon.assertStillServing();
    }
}
