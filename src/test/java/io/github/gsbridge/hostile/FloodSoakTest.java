package io.github.gsbridge.hostile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.device.Pairing;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.Pem;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.Packet;
import io.github.gsbridge.wire.PacketCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon as users run it (a process of its own, with the installed launcher's JVM options,
 * 192 MiB of heap among them) while a paired phone pings it and strangers attack at once:
 * 31 MiB lines on unpaired links, unpaired links opened one after another, each asking to pair,
 * and spoofed announcements naming a port that never answers. The phone also reconnects now and
 * then. Every ping is answered both ways, within a generous bound of the figure without the flood;
 * the figures are printed.
 */
class FloodSoakTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The JVM options install.sh's launcher gives the daemon. */
    private static final List<String> LAUNCHER_JVM = List.of("-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC",
            "-Xms16m", "-Xmx192m", "-XX:ReservedCodeCacheSize=48m", "-Xss512k");
    private static final int QUIET_ROUND_TRIPS = 100;
    private static final Duration FLOOD = Duration.ofSeconds(40);
    /** Longer than discovery's one announcement a second per address and device. */
    private static final Duration RECONNECT_EVERY = Duration.ofSeconds(3);
    /** A round trip during the flood may take this many times the slowest quiet one, and at least {@link #FLOOR}. */
    private static final int SLOWER = 20;
    private static final Duration FLOOR = Duration.ofSeconds(5);
    private static final int BIG_LINERS = 3;
    /** Between two attempts of one attacker: ten a second each, a hundred handshakes a second in all at most. */
    private static final Duration ATTACK_PAUSE = Duration.ofMillis(100);
    private static final int PAIR_ASKERS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PHONE_ADDRESS = {127, 0, 0, 2};

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeAtEnd = new ArrayList<>();
    private final List<Thread> attackers = new ArrayList<>();
    private final AtomicBoolean flooding = new AtomicBoolean(true);
    private final AtomicInteger strangerLinks = new AtomicInteger();
    private GsbridgeProcess daemon;
    private Identity daemonIdentity;
    private int daemonUdpPort;
    private RawPeer phone;
    private Link phoneLink;
    private String phoneId;
    private int roundTrip;

    @AfterEach
    void tearDown() throws Exception {
        flooding.set(false);
        for (Thread attacker : attackers) {
            attacker.interrupt();
            attacker.join(WAIT.toMillis());
        }
        for (int i = closeAtEnd.size() - 1; i >= 0; i--) {
            closeAtEnd.get(i).close();
        }
    }

    @Test
    void aPairedPhoneIsAnsweredWhileStrangersFlood() throws Exception {
        LocalCertificate phoneCertificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        phoneId = phoneCertificate.deviceId();
        Path config = Files.createDirectories(dir.resolve("config"));
        JSON.writeValue(config.resolve("devices.json").toFile(), List.of(Map.of("id", phoneId, "name", "phone",
                "type", "phone", "certificatePem", Pem.encode(phoneCertificate.certificate()))));
        PortRange ports = Ports.freeRange(7);
        daemonUdpPort = ports.first();
        String anyPort = "1024-65535";
        daemon = GsbridgeProcess.start(dir.resolve("daemon"), LAUNCHER_JVM, List.of(),
                Map.of("HOME", dir.toString()), List.of("--identity", "own", "--name", "desktop",
                        "--config-dir", config.toString(), "--udp-port", String.valueOf(ports.first()),
                        "--peer-udp-port", String.valueOf(ports.first()), "--broadcast", "127.0.0.1",
                        "--tcp-ports", (ports.first() + 1) + "-" + (ports.first() + 1),
                        "--payload-ports", (ports.first() + 2) + "-" + ports.last(), "--peer-tcp-ports", anyPort,
                        "--peer-payload-ports", anyPort, "--no-desktop-notifications"));
        closeAtEnd.add(daemon);
        daemon.awaitState("active", WAIT);
        daemonIdentity = Identity.of(daemon.deviceId(), "desktop", "desktop", 8, HostileDaemon.CAPABILITIES,
                HostileDaemon.CAPABILITIES).withTcpPort(ports.first() + 1);

        phone = peer(phoneCertificate);
        announcePhone();
        phoneLink = phone.awaitLink(WAIT);
        daemon.awaitEvent(GsbridgeProcess.event("Connected", phoneId), WAIT);

        List<Long> quiet = new ArrayList<>();
        for (int i = 0; i < QUIET_ROUND_TRIPS; i++) {
            quiet.add(roundTrip());
        }
        long bound = Math.max(FLOOR.toNanos(), SLOWER * quiet.stream().mapToLong(Long::longValue).max().orElseThrow());

        Tarpit tarpit = new Tarpit();
        closeAtEnd.add(tarpit);
        SpoofedFlood spoofed = new SpoofedFlood(daemonUdpPort, tarpit.port());
        closeAtEnd.add(spoofed);
        for (int i = 0; i < BIG_LINERS; i++) {
            attack("big-liner-" + i, bigLiner(peer(LocalCertificate.generate(LocalCertificate.newDeviceId()))));
        }
        List<RawPeer> askers = new ArrayList<>();
        for (int i = 0; i < PAIR_ASKERS; i++) {
            askers.add(peer(LocalCertificate.generate(LocalCertificate.newDeviceId())));
        }
        attack("pair-askers", pairAskers(askers));

        List<Long> flooded = new ArrayList<>();
        List<Long> reconnects = new ArrayList<>();
        long floodEnds = System.nanoTime() + FLOOD.toNanos();
        long nextReconnect = System.nanoTime() + RECONNECT_EVERY.toNanos();
        while (System.nanoTime() < floodEnds) {
            if (System.nanoTime() > nextReconnect) {
                reconnects.add(reconnect());
                nextReconnect = System.nanoTime() + RECONNECT_EVERY.toNanos();
            }
            flooded.add(roundTrip());
        }
        flooding.set(false);

        System.out.printf("flood soak: round trips without flood %s, during the flood %s (allowed up to %d ms); "
                        + "%d reconnects during the flood %s; %d stranger connections, %d spoofed announcements%n",
                figures(quiet), figures(flooded), bound / 1_000_000, reconnects.size(), figures(reconnects),
                strangerLinks.get(), spoofed.sent());
        assertTrue(flooded.stream().allMatch(t -> t <= bound), "round trips during the flood: " + figures(flooded));
        assertTrue(reconnects.stream().allMatch(t -> t <= bound),
                "reconnects during the flood: " + figures(reconnects));
        assertTrue(strangerLinks.get() >= 10 && spoofed.sent() >= 100, "the flood ran");
        assertFalse(daemon.log().contains("OutOfMemoryError"), daemon.logTail(40));
    }

    private RawPeer peer(LocalCertificate certificate) throws Exception {
        RawPeer peer = new RawPeer(certificate, certificate.deviceId(), 8,
                LoopbackNode.lanConfig(Ports.freeRange(4), daemonUdpPort), HostileDaemon.CAPABILITIES,
                HostileDaemon.CAPABILITIES);
        closeAtEnd.add(peer);
        return peer;
    }

    /** A ping from the phone, seen by the daemon, then one from the daemon, seen by the phone; in nanoseconds. */
    private long roundTrip() throws Exception {
        String message = "round trip " + ++roundTrip;
        int mark = daemon.mark();
        long started = System.nanoTime();
        Packet ping = new Packet(PingPlugin.TYPE);
        ping.body().put("message", message);
        phone.send(phoneLink, ping);
        daemon.awaitEvent(mark, e -> e.path("event").asText().equals("PingReceived")
                && e.path("message").asText().equals(message), WAIT);
        daemon.command("ping " + phoneId + " " + message);
        phone.awaitPacket(p -> p.isType(PingPlugin.TYPE) && p.body().path("message").asText().equals(message), WAIT);
        long took = System.nanoTime() - started;
        phone.forgetHistory();
        return took;
    }

    /** The phone drops its link and connects again; how long until the daemon has it back, in nanoseconds. */
    private long reconnect() throws Exception {
        int mark = daemon.mark();
        phoneLink.close();
        phone.awaitClosed(phoneLink, WAIT);
        daemon.awaitEvent(mark, GsbridgeProcess.event("Disconnected", phoneId), WAIT);
        phone.forgetHistory();
        long started = System.nanoTime();
        announcePhone();
        phoneLink = phone.awaitLink(WAIT);
        daemon.awaitEvent(mark, GsbridgeProcess.event("Connected", phoneId), WAIT);
        return System.nanoTime() - started;
    }

    /**
     * The phone announces itself, from an address of its own, and the daemon connects to it.
     * The strangers all come from 127.0.0.1; a phone there would share their per-address limits.
     */
    private void announcePhone() throws IOException {
        byte[] announcement = PacketCodec.encode(Identity.of(phoneId, "RawPeer", "phone", 8,
                HostileDaemon.CAPABILITIES, HostileDaemon.CAPABILITIES).withTcpPort(phone.tcpPort()).toPacket());
        InetAddress from = InetAddress.getByAddress(PHONE_ADDRESS);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
            socket.send(new DatagramPacket(announcement, announcement.length,
                    new InetSocketAddress(LoopbackNode.LOOPBACK, daemonUdpPort)));
        }
    }

    private void attack(String name, Attack attack) {
        Thread thread = new Thread(() -> {
            while (flooding.get()) {
                try {
                    attack.once();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | AssertionError e) {
                    // refused, cut off or not linked in time: the attacker just tries again
                }
                try {
                    Thread.sleep(ATTACK_PAUSE.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        attackers.add(thread);
    }

    private interface Attack {
        void once() throws Exception;
    }

    /** Links as a stranger and sends a 31 MiB line of tiny JSON values, as a tree some 34 times that. */
    private Attack bigLiner(RawPeer stranger) {
        byte[] chunk = "{},".repeat(1024 * 1024 / 3).getBytes(StandardCharsets.US_ASCII);
        byte[] start = "{\"id\":1,\"type\":\"kdeconnect.ping\",\"body\":{\"x\":[".getBytes(StandardCharsets.US_ASCII);
        return () -> {
            stranger.forgetHistory();
            stranger.connectTo(LoopbackNode.LOOPBACK, daemonIdentity);
            Link link = stranger.awaitLink(Duration.ofSeconds(5));
            strangerLinks.incrementAndGet();
            try {
                stranger.sendRaw(link, start);
                for (int i = 0; i < 31 && flooding.get(); i++) {
                    stranger.sendRaw(link, chunk);
                }
                stranger.sendRaw(link, "{}]}}\n".getBytes(StandardCharsets.US_ASCII));
                stranger.awaitClosed(link, Duration.ofSeconds(5));
            } finally {
                link.close();
                stranger.awaitClosed(link, Duration.ofSeconds(5));
            }
        };
    }

    /** Strangers linking one after another from the same address, each asking to pair and staying. */
    private Attack pairAskers(List<RawPeer> strangers) {
        AtomicInteger next = new AtomicInteger();
        Map<RawPeer, Link> linked = new HashMap<>();
        return () -> {
            RawPeer stranger = strangers.get(next.getAndIncrement() % strangers.size());
            stranger.forgetHistory();
            stranger.connectTo(LoopbackNode.LOOPBACK, daemonIdentity);
            Link link = stranger.awaitLink(Duration.ofSeconds(2));
            if (linked.put(stranger, link) == link) {
                // Still the link admitted before: the daemon refused the new one, or it is still on its way.
                return;
            }
            strangerLinks.incrementAndGet();
            Packet request = new Packet(Pairing.TYPE);
            request.body().put("pair", true).put("timestamp", System.currentTimeMillis() / 1000);
            stranger.send(link, request);
        };
    }

    /** Median, 99th percentile and maximum in milliseconds. */
    private static String figures(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "(none)";
        }
        List<Long> sorted = nanos.stream().sorted().toList();
        return String.format("median %.1f / p99 %.1f / max %.1f ms (%d)", sorted.get(sorted.size() / 2) / 1e6,
                sorted.get(Math.min(sorted.size() - 1, sorted.size() * 99 / 100)) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6, sorted.size());
    }
}
