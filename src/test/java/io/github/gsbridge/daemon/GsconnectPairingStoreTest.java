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
import io.github.gsbridge.tls.Pem;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pairing with GSConnect's dconf tree as the store while gsbridge follows that tree: our own
 * writes must never be undone by a read of the tree that came before them, and edits made by
 * GSConnect or the user must still take effect. On a loaded machine each {@code dconf} call takes
 * long enough for these races to happen; a dconf wrapper that sleeps before every write, or holds
 * a read back until the test lets it go, makes them happen every time.
 */
class GsconnectPairingStoreTest {
    private static final Duration WAIT = LoopbackNode.WAIT;
    private static final String DEVICE_DIR = GsconnectDconf.PATH + "device/";

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private GsconnectHome gsconnect;
    private EventRecorder events;
    private PortRange ports;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void aPairingWrittenToDconfIsNotUndoneByOurOwnWatch() throws Exception {
        Daemon daemon = startDaemon(dconfWrapper("case \"$1\" in write|load|reset) sleep 0.3 ;; esac\n"));
        running.add(GsconnectSync.start(daemon).orElseThrow());
        RawPeer phone = phone(LocalCertificate.generate(LocalCertificate.newDeviceId()));
        Link link = connect(phone, daemon);
        Device device = requestPair(phone, link, daemon);
        device.acceptPair();

        // Long enough for the watch to have seen every write and for its settle delay to pass.
        Thread.sleep(2000);
        assertStillPaired(device);
        Packet ping = new Packet(PingPlugin.TYPE);
        ping.body().put("message", "after pairing");
        phone.send(link, ping);
        events.await(PingPlugin.PingReceived.class, p -> p.message().equals("after pairing"), WAIT);
    }

    @Test
    void aReloadThatReadTheTreeBeforeOurUnpairingDoesNotPairTheDeviceAgain() throws Exception {
        HeldRead held = new HeldRead();
        Daemon daemon = startWithPairedPhone(held.dconf(), LocalCertificate.generate(LocalCertificate.newDeviceId()));
        Device device = daemon.devices().devices().stream().filter(Device::isPaired).findFirst().orElseThrow();

        Thread reload = held.reloadHeldAfterReading(daemon);
        device.unpair();
        held.release(reload);

        assertFalse(device.isPaired(), "unpaired after a reload that read the tree before the unpairing");
        assertEquals(Pairing.State.NOT_PAIRED, device.pairingState());
        assertFalse(pairedInDconf(device.id()), "GSConnect's tree has the device unpaired");
    }

    @Test
    void aReloadThatReadTheTreeBeforeOurPairingDoesNotUnpairTheDevice() throws Exception {
        HeldRead held = new HeldRead();
        Daemon daemon = startDaemon(held.dconf());
        RawPeer phone = phone(LocalCertificate.generate(LocalCertificate.newDeviceId()));
        Link link = connect(phone, daemon);
        Device device = requestPair(phone, link, daemon);

        Thread reload = held.reloadHeldAfterReading(daemon);
        device.acceptPair();
        held.release(reload);

        assertStillPaired(device);
    }

    @Test
    void aLinkWhosePairingWasReadBeforeOurUnpairingDoesNotPairTheDeviceAgain() throws Exception {
        HeldRead held = new HeldRead();
        LocalCertificate phoneCertificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        Daemon daemon = startWithPairedPhone(held.dconf(), phoneCertificate);
        Device device = daemon.devices().find(phoneCertificate.deviceId()).orElseThrow();
        RawPeer phone = phone(phoneCertificate);

        // A paired device's link is checked against the tree; that read is held back.
        held.holdNextRead();
        phone.connectTo(LoopbackNode.LOOPBACK, daemon.identity().withTcpPort(daemon.tcpPort()));
        held.awaitRead();
        device.unpair();
        held.release();

        Link link = phone.awaitLink(WAIT);
        phone.awaitClosed(link, WAIT);
        assertFalse(device.isPaired(), "unpaired after a link whose pairing was read before the unpairing");
        assertFalse(pairedInDconf(device.id()), "GSConnect's tree has the device unpaired");
    }

    @Test
    void anUnpairingWrittenToDconfByGsconnectDropsTheDevice() throws Exception {
        LocalCertificate phoneCertificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        Daemon daemon = startWithPairedPhone(dconfWrapper(""), phoneCertificate);
        running.add(GsconnectSync.start(daemon).orElseThrow());
        RawPeer phone = phone(phoneCertificate);
        Link link = connect(phone, daemon);
        Device device = daemon.devices().find(phone.deviceId()).orElseThrow();
        assertTrue(device.isPaired());

        // What GSConnect writes when its user unpairs the device.
        gsconnect.dconf().write(DEVICE_DIR + phone.deviceId() + "/paired", "false");
        events.await(DeviceEvent.Unpaired.class, e -> e.deviceId().equals(phone.deviceId()), WAIT);
        phone.awaitClosed(link, WAIT);
        assertFalse(device.isPaired());
    }

    /**
     * A dconf whose next {@code dump} (how the store reads the tree) reads the tree, then holds its
     * answer back until {@link #release}: that read is older than whatever happens meanwhile.
     */
    private final class HeldRead {
        private final Path hold = dir.resolve("hold");
        private final Path holding = dir.resolve("holding");
        private final Path read = dir.resolve("read");
        private final Path go = dir.resolve("release");

        String dconf() throws Exception {
            return dconfWrapper("if [ \"$1\" = dump ] && mv '" + hold + "' '" + holding + "' 2>/dev/null; then\n"
                    + "  tree=$(" + realDconf() + " \"$@\") || exit\n"
                    + "  touch '" + read + "'\n"
                    + "  while [ ! -e '" + go + "' ]; do sleep 0.05; done\n"
                    + "  printf '%s\\n' \"$tree\"\n"
                    + "  exit\n"
                    + "fi\n");
        }

        /** Starts a reload of the pairings and returns once it has read the tree. */
        Thread reloadHeldAfterReading(Daemon daemon) throws Exception {
            holdNextRead();
            Thread reload = new Thread(daemon::reloadPairings, "held-reload");
            reload.start();
            awaitRead();
            return reload;
        }

        void holdNextRead() throws Exception {
            Files.createFile(hold);
        }

        void awaitRead() throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!Files.exists(read)) {
                assertTrue(System.nanoTime() < deadline, "dconf was read within " + WAIT);
                Thread.sleep(20);
            }
        }

        void release() throws Exception {
            Files.createFile(go);
        }

        void release(Thread reload) throws Exception {
            release();
            reload.join(WAIT.toMillis());
            assertFalse(reload.isAlive(), "the reload ended");
        }
    }

    private Daemon startWithPairedPhone(String dconf, LocalCertificate phoneCertificate) throws Exception {
        gsconnect.pair(phoneCertificate.deviceId(), "phone", "phone", Pem.encode(phoneCertificate.certificate()));
        return startDaemon(dconf);
    }

    /** A dconf for GSConnect's home that runs {@code prelude} (sh) first. */
    private String dconfWrapper(String prelude) throws Exception {
        Path wrapper = dir.resolve("dconf-wrapper");
        Files.writeString(wrapper, "#!/bin/sh\n" + prelude + "exec " + realDconf() + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        return wrapper.toString();
    }

    private String realDconf() throws Exception {
        if (gsconnect == null) {
            gsconnect = GsconnectHome.create(dir.resolve("gsconnect"), LocalCertificate.newDeviceId(), "desk");
            running.add(gsconnect);
        }
        return "env " + gsconnect.environment().entrySet().stream()
                .map(e -> e.getKey() + "='" + e.getValue() + "'").collect(Collectors.joining(" "))
                + " " + RealComponents.requireOnPath("dconf");
    }

    private Daemon startDaemon(String dconf) throws Exception {
        ports = Ports.freeRange(7);
        DaemonOptions options = new DaemonOptions(Optional.of("desk"), "desktop", IdentityLoader.Choice.GSCONNECT,
                dir.resolve("config"), Path.of(gsconnect.environment().get("XDG_CONFIG_HOME")).resolve("gsconnect"),
                dconf, LoopbackNode.lanConfig(ports, Ports.freeRange(1).first()), false, Set.of(), false,
                OptionalInt.of(8));
        EventBus bus = new EventBus();
        events = new EventRecorder(bus);
        Daemon daemon = Daemon.start(options, bus, new Transfers(bus), new Plugins(List.of(new PingPlugin(bus))));
        running.add(daemon);
        return daemon;
    }

    private RawPeer phone(LocalCertificate certificate) throws Exception {
        RawPeer phone = new RawPeer(certificate, certificate.deviceId(), 8, LoopbackNode.lanConfig(Ports.freeRange(4),
                ports.first()), Set.of(PingPlugin.TYPE), Set.of(PingPlugin.TYPE));
        running.add(phone);
        return phone;
    }

    private Link connect(RawPeer phone, Daemon daemon) throws Exception {
        phone.connectTo(LoopbackNode.LOOPBACK, daemon.identity().withTcpPort(daemon.tcpPort()));
        Link link = phone.awaitLink(WAIT);
        events.await(DeviceEvent.Connected.class, e -> e.deviceId().equals(phone.deviceId()), WAIT);
        return link;
    }

    private Device requestPair(RawPeer phone, Link link, Daemon daemon) throws Exception {
        Packet request = new Packet(Pairing.TYPE);
        request.body().put("pair", true).put("timestamp", System.currentTimeMillis() / 1000);
        phone.send(link, request);
        events.await(DeviceEvent.PairRequested.class, e -> e.deviceId().equals(phone.deviceId()), WAIT);
        return daemon.devices().find(phone.deviceId()).orElseThrow();
    }

    private void assertStillPaired(Device device) throws Exception {
        assertTrue(device.isPaired(), "still paired after our own dconf writes were seen");
        assertTrue(device.isReachable(), "the link survived our own dconf writes");
        assertTrue(events.all(DeviceEvent.Unpaired.class).isEmpty(), events.all(DeviceEvent.Unpaired.class)::toString);
        assertTrue(pairedInDconf(device.id()), "GSConnect's tree lists the device as paired");
    }

    private boolean pairedInDconf(String deviceId) throws Exception {
        return GsconnectDconf.read(gsconnect.dconf()).pairedDevices().stream().anyMatch(d -> d.id().equals(deviceId));
    }
}
