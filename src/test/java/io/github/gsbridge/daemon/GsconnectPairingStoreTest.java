package io.github.gsbridge.daemon;

import io.github.gsbridge.credentials.GsconnectDconf;
import io.github.gsbridge.credentials.IdentityLoader;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.device.Pairing;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.Plugins;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.EventRecorder;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.RealComponents;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.transfer.Transfers;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pairing with GSConnect's dconf tree as the store while gsbridge follows that tree: writing the
 * pairing must not look, to our own {@code dconf watch}, like an unpairing. On a loaded machine
 * each {@code dconf} call takes long enough for the watch to read the tree half-written; a dconf
 * that sleeps before every write makes that happen every time.
 */
class GsconnectPairingStoreTest {
    private static final Duration WAIT = LoopbackNode.WAIT;

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void aPairingWrittenToDconfIsNotUndoneByOurOwnWatch() throws Exception {
        String dconf = RealComponents.requireOnPath("dconf");
        GsconnectHome gsconnect = GsconnectHome.create(dir.resolve("gsconnect"), LocalCertificate.newDeviceId(), "desk");
        running.add(gsconnect);
        Path slowDconf = dir.resolve("slow-dconf");
        String environment = gsconnect.environment().entrySet().stream()
                .map(e -> e.getKey() + "='" + e.getValue() + "'").collect(Collectors.joining(" "));
        Files.writeString(slowDconf, "#!/bin/sh\n"
                + "case \"$1\" in write|load|reset) sleep 0.3 ;; esac\n"
                + "exec env " + environment + " " + dconf + " \"$@\"\n");
        Files.setPosixFilePermissions(slowDconf, PosixFilePermissions.fromString("rwx------"));

        PortRange ports = Ports.freeRange(7);
        DaemonOptions options = new DaemonOptions(Optional.of("desk"), "desktop", IdentityLoader.Choice.GSCONNECT,
                dir.resolve("config"), Path.of(gsconnect.environment().get("XDG_CONFIG_HOME")).resolve("gsconnect"),
                slowDconf.toString(), LoopbackNode.lanConfig(ports, Ports.freeRange(1).first()), false, Set.of(), false,
                OptionalInt.of(8));
        EventBus bus = new EventBus();
        EventRecorder events = new EventRecorder(bus);
        Daemon daemon = Daemon.start(options, bus, new Transfers(bus), new Plugins(List.of(new PingPlugin(bus))));
        running.add(daemon);
        GsconnectSync sync = GsconnectSync.start(daemon).orElseThrow();
        running.add(sync);

        LocalCertificate phoneCertificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        String phoneId = phoneCertificate.deviceId();
        RawPeer phone = new RawPeer(phoneCertificate, phoneId, 8, LoopbackNode.lanConfig(Ports.freeRange(4),
                ports.first()), Set.of(PingPlugin.TYPE), Set.of(PingPlugin.TYPE));
        running.add(phone);
        phone.connectTo(LoopbackNode.LOOPBACK, daemon.identity().withTcpPort(daemon.tcpPort()));
        Link link = phone.awaitLink(WAIT);
        events.await(DeviceEvent.Connected.class, e -> e.deviceId().equals(phoneId), WAIT);
        Packet request = new Packet(Pairing.TYPE);
        request.body().put("pair", true).put("timestamp", System.currentTimeMillis() / 1000);
        phone.send(link, request);
        events.await(DeviceEvent.PairRequested.class, e -> e.deviceId().equals(phoneId), WAIT);
        Device device = daemon.devices().find(phoneId).orElseThrow();
        device.acceptPair();

        // Long enough for the watch to have seen every write and for its settle delay to pass.
        Thread.sleep(2000);
        assertTrue(device.isPaired(), "still paired after our own dconf writes were seen");
        assertTrue(device.isReachable(), "the link survived our own dconf writes");
        assertTrue(events.all(DeviceEvent.Unpaired.class).isEmpty(), events.all(DeviceEvent.Unpaired.class)::toString);
        assertTrue(GsconnectDconf.read(gsconnect.dconf()).pairedDevices().stream().anyMatch(d -> d.id().equals(phoneId)),
                "GSConnect's tree lists the device as paired");
        Packet ping = new Packet(PingPlugin.TYPE);
        ping.body().put("message", "after pairing");
        phone.send(link, ping);
        events.await(PingPlugin.PingReceived.class, p -> p.message().equals("after pairing"), WAIT);
    }
}
