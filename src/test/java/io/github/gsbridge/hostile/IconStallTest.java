package io.github.gsbridge.hostile;

import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.notification.NotificationPlugin;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Phone A posts notifications whose icons trickle in a byte at a time. Icons both ways used to
 * share two threads without a deadline: A's downloads kept our notification to phone B from
 * leaving for minutes. Now A holds up only its own icons, and only until the icon deadline.
 */
class IconStallTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    private HostileDaemon daemon;

    @AfterEach
    void tearDown() {
        if (daemon != null) {
            daemon.close();
        }
    }

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
        daemon = HostileDaemon.start(dir, List.of(a, b));
        RawPeer phoneA = daemon.peer(a);
        Link linkA = phoneA.awaitLink(HostileDaemon.WAIT);
        RawPeer phoneB = daemon.peer(b);
        Link linkB = phoneB.awaitLink(HostileDaemon.WAIT);
        daemon.awaitConnected(a.deviceId());
        daemon.awaitConnected(b.deviceId());

        for (int i = 0; i < 2; i++) {
            Packet posted = new Packet(NotificationPlugin.NOTIFICATION);
            posted.body().put("id", "slow" + i).put("appName", "App").put("ticker", "slow icon " + i)
                    .put("payloadHash", String.format("%032x", i));
            phoneA.offerPayload(linkA, posted, trickle(), 100_000);
        }
        daemon.events().await(NotificationPlugin.NotificationPosted.class,
                e -> e.notification().id().equals("slow1"), HostileDaemon.WAIT);

        byte[] icon = Arrays.copyOf(PNG_SIGNATURE, 64);
        Path iconFile = Files.write(dir.resolve("icon.png"), icon);
        NotificationPlugin plugin = daemon.node.daemon().plugins().get(NotificationPlugin.class);
        String id = plugin.send(daemon.node.device(b.deviceId()), new NotificationPlugin.Outgoing(Optional.of("to-b"),
                "gsbridge", "For B", "while A trickles", Optional.of(iconFile), true));
        Packet toB = phoneB.awaitPacket(p -> p.isType(NotificationPlugin.NOTIFICATION)
                && p.body().path("id").asText().equals(id), HostileDaemon.WAIT);
        try (InputStream in = phoneB.fetchPayload(linkB, toB)) {
            assertArrayEquals(icon, in.readAllBytes());
        }

        // A's first icon is given up at the deadline instead of taking the eight minutes it would.
        daemon.log.await(NotificationPlugin.ICON_DEADLINE.plus(HostileDaemon.WAIT), a.deviceId(),
                "icon not received within " + NotificationPlugin.ICON_DEADLINE.toSeconds() + " s");
        daemon.assertPingArrives(phoneA, linkA, "A's link still works");
        daemon.assertStillServing();
    }
}
