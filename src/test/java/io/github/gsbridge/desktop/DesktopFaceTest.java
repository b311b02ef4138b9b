package io.github.gsbridge.desktop;

import io.github.gsbridge.daemon.DaemonOptions;
import io.github.gsbridge.daemon.PluginCatalog;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.device.Pairing;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.PluginSettings;
import io.github.gsbridge.plugin.battery.BatteryPlugin;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.plugin.share.SharePlugin;
import io.github.gsbridge.plugin.share.XdgDownloadDirectories;
import io.github.gsbridge.testsupport.Dunst;
import io.github.gsbridge.testsupport.EventRecorder;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.PrivateBus;
import io.github.gsbridge.testsupport.RealComponents;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.transfer.Transfer;
import io.github.gsbridge.wire.Packet;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The desktop face against a real notification server (dunst under Xvfb) on a private bus, a
 * daemon in this JVM and a raw phone over loopback: buttons pressed in dunst pair, open, show.
 * Opening goes through the real {@code gio open}, to a desktop file of the test's own.
 */
class DesktopFaceTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String PEER_ID = "fedcba9876543210fedcba9876543210";

    @TempDir
    Path dir;

    private PrivateBus bus;
    private Dunst dunst;
    private FreedesktopNotifier notifier;
    private LoopbackNode node;
    private EventRecorder events;
    private DesktopFace face;
    private RawPeer peer;
    private Link link;
    private Path home;
    private Path opened;

    @BeforeEach
    void start() throws Exception {
        RealComponents.requireOnPath("gio");
        RealComponents.requireOnPath("gdbus");
        bus = PrivateBus.start(dir.resolve("bus"));
        dunst = Dunst.start(dir.resolve("dunst"), bus.address());
        notifier = new FreedesktopNotifier(bus.address());
        home = dir.resolve("home");
        opened = dir.resolve("opened.txt");
        PortRange ports = Ports.freeRange(7);
        PortRange peerPorts = Ports.freeRange(4);
        node = LoopbackNode.start(home.resolve(".config"), "desktop", ports, peerPorts.first(), wiring -> List.of(
                new PingPlugin(wiring.events()),
                new SharePlugin(wiring.events(), wiring.transfers(),
                        new XdgDownloadDirectories(Map.of("HOME", home.toString()),
                        PluginSettings.ownFile("share", home.resolve(".config/gsbridge"))))));
        events = node.events();
        face = new DesktopFace(notifier, new DesktopLauncher(desktopEnvironment()), node.daemon().events(),
                node.daemon().devices()::find, Set.copyOf(DaemonOptions.notificationKinds(PluginCatalog.MODULES).all()));
        peer = new RawPeer(LocalCertificate.generate(PEER_ID), PEER_ID, 8, LoopbackNode.lanConfig(peerPorts, ports.first()),
                Set.of(SharePlugin.REQUEST, PingPlugin.TYPE));
        peer.announceTo(LoopbackNode.LOOPBACK);
        link = peer.awaitLink(WAIT);
        events.await(DeviceEvent.Connected.class, e -> e.deviceId().equals(PEER_ID), WAIT);
    }

    @AfterEach
    void stop() {
        for (AutoCloseable resource : new AutoCloseable[] {peer, face, node, notifier, dunst, bus}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
    }

    /**
     * A session of the test's own: gio finds the default applications in this XDG tree, where one
     * desktop file handles text files and https links by writing what it was given to a file.
     */
    private Map<String, String> desktopEnvironment() throws Exception {
        Path data = home.resolve(".local/share");
        Path config = home.resolve(".config");
        Path opener = dir.resolve("opener.sh");
        Files.writeString(opener, "#!/bin/sh\nprintf '%s\\n' \"$1\" >>" + opened + "\n");
        Files.setPosixFilePermissions(opener, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(data.resolve("applications"));
        Files.writeString(data.resolve("applications/test-opener.desktop"), """
                [Desktop Entry]
                Type=Application
                Name=Test opener
                Exec=%s %%u
                MimeType=text/plain;x-scheme-handler/https;
                """.formatted(opener));
        Files.createDirectories(config);
        Files.writeString(config.resolve("mimeapps.list"), """
                [Default Applications]
                text/plain=test-opener.desktop
                x-scheme-handler/https=test-opener.desktop
                """);
        return Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "HOME", home.toString(),
                "XDG_DATA_HOME", data.toString(), "XDG_CONFIG_HOME", config.toString(),
                "XDG_DATA_DIRS", "/usr/share", "DBUS_SESSION_BUS_ADDRESS", bus.address());
    }

    private Device device() {
        return node.device(PEER_ID);
    }

    private void askToPair() throws Exception {
        Packet pair = new Packet(Pairing.TYPE);
        pair.body().put("pair", true).put("timestamp", System.currentTimeMillis() / 1000);
        peer.send(link, pair);
        events.await(DeviceEvent.PairRequested.class, e -> e.deviceId().equals(PEER_ID), WAIT);
    }

    private void pair() throws Exception {
        askToPair();
        device().acceptPair();
        events.await(DeviceEvent.Paired.class, e -> e.deviceId().equals(PEER_ID), WAIT);
    }

    @Test
    void acceptInThePairNotificationPairsTheDevice() throws Exception {
        askToPair();
        String key = device().verificationKey().orElseThrow();
        Dunst.Shown shown = dunst.awaitShown(n -> n.summary().equals("RawPeer wants to pair"));
        assertTrue(shown.body().contains(key), "the key to compare is shown: " + shown);

        dunst.press(shown.id(), "accept");

        events.await(DeviceEvent.Paired.class, e -> e.deviceId().equals(PEER_ID), WAIT);
        Packet answer = peer.awaitPacket(p -> p.isType(Pairing.TYPE), WAIT);
        assertTrue(answer.body().get("pair").asBoolean(), "the phone was told yes");
        assertTrue(device().isPaired());
        dunst.awaitClosed(shown.id());
    }

    @Test
    void rejectInThePairNotificationRefusesTheDevice() throws Exception {
        askToPair();
        Dunst.Shown shown = dunst.awaitShown(n -> n.summary().equals("RawPeer wants to pair"));

        dunst.press(shown.id(), "reject");

        events.await(DeviceEvent.PairingFailed.class, e -> e.deviceId().equals(PEER_ID), WAIT);
        Packet answer = peer.awaitPacket(p -> p.isType(Pairing.TYPE), WAIT);
        assertFalse(answer.body().get("pair").asBoolean(), "the phone was told no");
        assertFalse(device().isPaired());
        dunst.awaitClosed(shown.id());
    }

    @Test
    void thePairNotificationGoesWhenTheRequestIsAnsweredElsewhere() throws Exception {
        askToPair();
        Dunst.Shown shown = dunst.awaitShown(n -> n.summary().equals("RawPeer wants to pair"));
        device().acceptPair(); // as gsbridge accept or AcceptPair do
        dunst.awaitClosed(shown.id());

        device().unpair();
        askToPair();
        Dunst.Shown again = dunst.awaitShown(n -> n.summary().equals("RawPeer wants to pair") && n.id() != shown.id());
        Packet withdraw = new Packet(Pairing.TYPE);
        withdraw.body().put("pair", false);
        peer.send(link, withdraw);
        dunst.awaitClosed(again.id());
        assertEquals("Cancelled by the device.", dunst.awaitShown(n -> n.summary().equals("Not paired with RawPeer"))
                .body());
    }

    @Test
    void aProtocol7PhoneIsComparedByBothFingerprints() throws Exception {
        String oldPhone = "0123456789abcdef0123456789abcdef";
        PortRange peerPorts = Ports.freeRange(4);
        LocalCertificate certificate = LocalCertificate.generate(oldPhone);
        try (RawPeer seven = new RawPeer(certificate, oldPhone, 7, LoopbackNode.lanConfig(peerPorts,
                node.udpPort()), Set.of(SharePlugin.REQUEST))) {
            // Discovery takes one identity a second from an address, and the other phone just announced.
            Link sevenLink = null;
            for (int attempt = 0; sevenLink == null; attempt++) {
                seven.announceTo(LoopbackNode.LOOPBACK);
                try {
                    sevenLink = seven.awaitLink(Duration.ofMillis(1500));
                } catch (AssertionError e) {
                    if (attempt == 10) {
                        throw e;
                    }
                }
            }
            Packet pair = new Packet(Pairing.TYPE);
            pair.body().put("pair", true);
            seven.send(sevenLink, pair);
            Dunst.Shown shown = dunst.awaitShown(n -> n.summary().equals("RawPeer wants to pair")
                    && n.body().contains(io.github.gsbridge.tls.Certificates.sha256Fingerprint(certificate.certificate())));
            assertTrue(shown.body().contains(io.github.gsbridge.tls.Certificates.sha256Fingerprint(
                    node.daemon().localIdentity().certificate().certificate())), shown.toString());
        }
    }

    @Test
    void pairingFromTheDesktopShowsTheSameKey() throws Exception {
        device().requestPair();
        String key = device().verificationKey().orElseThrow();
        Dunst.Shown shown = dunst.awaitShown(n -> n.summary().equals("Pairing with RawPeer"));
        assertTrue(shown.body().contains(key), shown.toString());
        Packet accept = new Packet(Pairing.TYPE);
        accept.body().put("pair", true);
        peer.send(link, accept);
        dunst.awaitClosed(shown.id());
    }

    @Test
    void openInAReceivedFileNotificationOpensItInTheDefaultApplication() throws Exception {
        pair();
        byte[] content = "hello from the phone".getBytes(StandardCharsets.UTF_8);
        Packet share = new Packet(SharePlugin.REQUEST);
        share.body().put("filename", "note.txt");
        peer.offerPayload(link, share, new ByteArrayInputStream(content), content.length);
        Dunst.Shown shown = dunst.awaitShown(n -> n.summary().equals("note.txt from RawPeer"));

        dunst.press(shown.id(), "open");

        // gio hands a local file to %u as its path
        awaitOpened(home.resolve("Downloads/note.txt").toString());
    }

    @Test
    void showInFilesAsksTheFileManagerForEveryFileOfTheShare() throws Exception {
        pair();
        BlockingQueue<List<String>> shownItems = new LinkedBlockingQueue<>();
        try (DBusConnection fileManager = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build()) {
            fileManager.exportObject("/org/freedesktop/FileManager1", new FileManager1() {
                @Override
                public void ShowItems(List<String> uris, String startupId) {
                    shownItems.add(uris);
                }

                @Override
                public String getObjectPath() {
                    return "/org/freedesktop/FileManager1";
                }
            });
            fileManager.requestBusName("org.freedesktop.FileManager1");
            for (String name : List.of("a.txt", "b.txt")) {
                byte[] content = name.getBytes(StandardCharsets.UTF_8);
                Packet share = new Packet(SharePlugin.REQUEST);
                share.body().put("filename", name).put("numberOfFiles", 2).put("totalPayloadSize", 10);
                peer.offerPayload(link, share, new ByteArrayInputStream(content), content.length);
            }
            Dunst.Shown shown = dunst.awaitShown(n -> n.summary().equals("2 files from RawPeer"));
            assertEquals(1, dunst.shown().stream().filter(n -> n.summary().contains("from RawPeer")).count(),
                    "one notification for the share: " + dunst.shown());

            dunst.press(shown.id(), "show");

            List<String> uris = shownItems.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(List.of(home.resolve("Downloads/a.txt").toUri().toString(),
                    home.resolve("Downloads/b.txt").toUri().toString()), uris);
        }
    }

    @Test
    void aLinkCanBeOpenedAndTextAndPingsAreShown() throws Exception {
        pair();
        Packet url = new Packet(SharePlugin.REQUEST);
        url.body().put("url", "https://example.org/a?b=c");
        peer.send(link, url);
        Dunst.Shown link1 = dunst.awaitShown(n -> n.summary().equals("Link from RawPeer"));
        assertEquals("https://example.org/a?b=c", link1.body());
        assertTrue(Files.notExists(opened), "nothing is opened before the user asks");
        dunst.press(link1.id(), "open");
        awaitOpened("https://example.org/a?b=c");

        Packet text = new Packet(SharePlugin.REQUEST);
        text.body().put("text", "call me");
        peer.send(link, text);
        assertEquals("call me", dunst.awaitShown(n -> n.summary().equals("Text from RawPeer")).body());

        Packet ping = new Packet(PingPlugin.TYPE);
        ping.body().put("message", "are you there?");
        peer.send(link, ping);
        assertEquals("are you there?", dunst.awaitShown(n -> n.summary().equals("Ping from RawPeer")).body());
    }

    @Test
    void aRefusedIncomingFileSaysWhy() throws Exception {
        pair();
        Files.createDirectories(home);
        // A file where the download folder should be: nothing can be saved.
        Files.writeString(home.resolve("Downloads"), "not a folder");
        byte[] content = "x".getBytes(StandardCharsets.UTF_8);
        Packet share = new Packet(SharePlugin.REQUEST);
        share.body().put("filename", "x.txt");
        peer.offerPayload(link, share, new ByteArrayInputStream(content), content.length);
        Dunst.Shown shown = dunst.awaitShown(n -> n.summary().equals("Receiving from RawPeer failed"));
        assertTrue(shown.body().contains("x.txt"), shown.toString());
    }

    @Test
    void aSentFileSaysWhenItArrivedOrWhyNot() throws Exception {
        pair();
        Path file = Files.writeString(dir.resolve("report.pdf"), "pdf");
        SharePlugin share = node.daemon().plugins().get(SharePlugin.class);
        Transfer transfer = share.shareFiles(device(), List.of(file), false);
        Packet offer = peer.awaitPacket(p -> p.isType(SharePlugin.REQUEST), WAIT);
        assertEquals("pdf", new String(peer.fetchPayload(link, offer).readAllBytes(), StandardCharsets.UTF_8));
        Dunst.Shown sent = dunst.awaitShown(n -> n.summary().equals("Sent report.pdf to RawPeer"));
        assertNotNull(sent);
        assertEquals(Transfer.State.COMPLETED, transfer.state());
        assertEquals(Set.of(sent.id()), dunst.shown().stream().filter(n -> n.summary().contains("report.pdf"))
                .map(Dunst.Shown::id).collect(java.util.stream.Collectors.toSet()),
                "one notification per transfer, replaced when it ends: " + dunst.shown());
    }

    @Test
    void aKindSwitchedOffShowsNothing() throws Exception {
        face.close();
        pair();
        Set<NotificationKind> enabled = DaemonOptions.parse(List.of("--no-notify", "ping,received"), Map.of("HOME",
                home.toString())).desktopNotifications();
        assertEquals(Set.of(NotificationKind.PAIRING, NotificationKind.SENT, NotificationKind.PHONE,
                BatteryPlugin.LOW_BATTERY), enabled);
        face = new DesktopFace(notifier, new DesktopLauncher(desktopEnvironment()), node.daemon().events(),
                node.daemon().devices()::find, enabled);
        Packet ping = new Packet(PingPlugin.TYPE);
        peer.send(link, ping);
        events.await(PingPlugin.PingReceived.class, e -> true, WAIT);
        device().unpair();
        // Events are shown in order: once this pair request is shown, the ping was passed over.
        askToPair();
        dunst.awaitShown(n -> n.summary().equals("RawPeer wants to pair"));
        assertEquals(List.of("RawPeer wants to pair"), dunst.shown().stream().map(Dunst.Shown::summary).toList());
    }

    private void awaitOpened(String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(opened) || !Files.readString(opened).contains(what)) {
            assertTrue(System.nanoTime() < deadline, "not opened: " + what + "; opener got "
                    + (Files.exists(opened) ? Files.readString(opened) : "nothing"));
            Thread.sleep(50);
        }
    }

    /** What Nautilus offers for "show this file in its folder". */
    @DBusInterfaceName("org.freedesktop.FileManager1")
    public interface FileManager1 extends DBusInterface {
        void ShowItems(List<String> uris, String startupId);
    }
}
