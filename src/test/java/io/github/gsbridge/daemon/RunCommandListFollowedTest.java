package io.github.gsbridge.daemon;

import io.github.gsbridge.credentials.Dconf;
import io.github.gsbridge.credentials.GsconnectDconf;
import io.github.gsbridge.credentials.GsconnectPairingStore;
import io.github.gsbridge.credentials.IdentityLoader;
import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.desktop.DesktopNotifier;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.plugin.PluginContext;
import io.github.gsbridge.plugin.Plugins;
import io.github.gsbridge.plugin.battery.Battery1;
import io.github.gsbridge.plugin.battery.BatteryPlugin;
import io.github.gsbridge.plugin.notification.NotificationPackets;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.plugin.runcommand.RunCommand1;
import io.github.gsbridge.plugin.runcommand.RunCommandPlugin;
import io.github.gsbridge.testsupport.EventRecorder;
import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.PrivateBus;
import io.github.gsbridge.testsupport.RealComponents;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.Pem;
import io.github.gsbridge.transfer.Transfers;
import io.github.gsbridge.wire.Packet;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commands a phone may run, kept in GSConnect's dconf tree, on the session bus: a phone's
 * notifications, pings and battery reports never read that list (each read is a {@code dconf}
 * process, counted here by a wrapper around the real one), and an edit of the list in dconf
 * reaches the phone and the bus by itself.
 */
class RunCommandListFollowedTest {
    private static final Duration WAIT = LoopbackNode.WAIT;
    private static final Set<String> PHONE_TYPES = Set.of(PingPlugin.TYPE, BatteryPlugin.BATTERY,
            NotificationPackets.NOTIFICATION, RunCommandPlugin.LIST, RunCommandPlugin.REQUEST);

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<Properties.PropertiesChanged> changes = new ArrayList<>();
    private GsconnectHome gsconnect;
    private Path dconfCalls;
    private Daemon daemon;
    private RawPeer phone;
    private Link link;
    private DBusConnection client;
    private EventRecorder events;
    private String path;
    private String listKey;

    @BeforeEach
    void setUp() throws Exception {
        gsconnect = GsconnectHome.create(dir.resolve("gsconnect"), LocalCertificate.newDeviceId(), "desk");
        running.add(gsconnect);
        LocalCertificate phoneCertificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        gsconnect.pair(phoneCertificate.deviceId(), "phone", "phone", Pem.encode(phoneCertificate.certificate()));
        listKey = GsconnectDconf.PATH + "device/" + phoneCertificate.deviceId() + "/plugin/runcommand/command-list";
        gsconnect.dconf().write(listKey, "{'lock': <{'name': 'Lock', 'command': 'true'}>}");

        dconfCalls = dir.resolve("dconf-calls");
        Path wrapper = dir.resolve("dconf-wrapper");
        Files.writeString(wrapper, "#!/bin/sh\necho \"$*\" >> '" + dconfCalls + "'\nexec env "
                + gsconnect.environment().entrySet().stream().map(e -> e.getKey() + "='" + e.getValue() + "'")
                .collect(Collectors.joining(" ")) + " " + RealComponents.requireOnPath("dconf") + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));

        PortRange ports = Ports.freeRange(7);
        DaemonOptions options = new DaemonOptions(Optional.of("desk"), "desktop", IdentityLoader.Choice.GSCONNECT,
                dir.resolve("config"), Path.of(gsconnect.environment().get("XDG_CONFIG_HOME")).resolve("gsconnect"),
                wrapper.toString(), LoopbackNode.lanConfig(ports, Ports.freeRange(1).first()), false, Set.of(), false,
                OptionalInt.of(8));
        EventBus bus = new EventBus();
        events = new EventRecorder(bus);
        Transfers transfers = new Transfers(bus);
        PluginContext context = new PluginContext(bus, transfers, DesktopNotifier.none(), Set.of(),
                Map.of("HOME", dir.toString(), "DBUS_SYSTEM_BUS_ADDRESS", GsbridgeProcess.NO_SYSTEM_BUS),
                dir.resolve("config"), Optional.of(new GsconnectPairingStore(new Dconf(wrapper.toString(), Map.of()))));
        daemon = Daemon.start(options, bus, transfers, Plugins.of(PluginCatalog.MODULES, context));
        running.add(daemon);

        PrivateBus session = PrivateBus.start(dir.resolve("bus"));
        running.add(session);
        running.add(DbusService.start(daemon, DBusConnectionBuilder.forAddress(session.address())
                .withShared(false).build()));
        client = DBusConnectionBuilder.forAddress(session.address()).withShared(false).build();
        running.add(client);
        client.addSigHandler(Properties.PropertiesChanged.class, signal -> {
            synchronized (changes) {
                changes.add(signal);
                changes.notifyAll();
            }
        });

        phone = new RawPeer(phoneCertificate, phoneCertificate.deviceId(), 8,
                LoopbackNode.lanConfig(Ports.freeRange(4), ports.first()), PHONE_TYPES, PHONE_TYPES);
        running.add(phone);
        phone.connectTo(LoopbackNode.LOOPBACK, daemon.identity().withTcpPort(daemon.tcpPort()));
        link = phone.awaitLink(WAIT);
        events.await(DeviceEvent.Connected.class, e -> e.deviceId().equals(phone.deviceId()), WAIT);
        path = DbusService.devicePath(phone.deviceId());
        // the list goes to the phone when it connects; then it asks for the phone's
        phone.awaitPacket(p -> p.isType(RunCommandPlugin.LIST) && p.body().path("commandList").asText().contains("lock"),
                WAIT);
        phone.awaitPacket(p -> p.isType(RunCommandPlugin.REQUEST), WAIT);
        awaitChange(c -> c.getPath().equals(path) && c.getPropertiesChanged().containsKey("Reachable"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    private Properties.PropertiesChanged awaitChange(Predicate<Properties.PropertiesChanged> match)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (changes) {
            while (true) {
                for (Properties.PropertiesChanged change : changes) {
                    if (match.test(change)) {
                        return change;
                    }
                }
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "no such PropertiesChanged within " + WAIT + "; got " + changes);
                changes.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private List<Properties.PropertiesChanged> changesSince(int count) {
        synchronized (changes) {
            return List.copyOf(changes.subList(count, changes.size()));
        }
    }

    private long listReads() throws Exception {
        return Files.readAllLines(dconfCalls).stream().filter(line -> line.equals("read " + listKey)).count();
    }

    /** dconf watch hears changes only once it has subscribed, a while after it started: until a write is seen. */
    private void awaitWatching() throws Exception {
        String probe = GsconnectDconf.PATH + "device/" + phone.deviceId() + "/probe";
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int n = 0; events.all(GsconnectDconf.KeysChanged.class).stream().noneMatch(c -> c.concerns(probe)); n++) {
            assertTrue(System.nanoTime() < deadline, "GSConnect's tree was not followed within " + WAIT);
            gsconnect.dconf().write(probe, String.valueOf(n));
            Thread.sleep(200);
        }
    }

    private static Packet notification(int n) {
        Packet packet = new Packet(NotificationPackets.NOTIFICATION);
        packet.body().put("id", "n" + n).put("appName", "Messages").put("title", "Ann").put("text", "hello " + n)
                .put("isClearable", true);
        return packet;
    }

    @Test
    void aPhonesEventsChangeOnlyTheirPluginsPropertiesAndRunNoDconf() throws Exception {
        // Changed behind the daemon's back (nothing follows dconf here): only RunCommand1's own events
        // may show it; a battery report re-reading every interface would.
        gsconnect.dconf().write(listKey, "{'edited': <{'name': 'Edited', 'command': 'true'}>}");
        long readsBefore = listReads();
        int changesBefore;
        synchronized (changes) {
            changesBefore = changes.size();
        }
        for (int n = 0; n < 3; n++) {
            phone.send(link, new Packet(PingPlugin.TYPE));
            phone.send(link, notification(n));
        }
        Packet battery = new Packet(BatteryPlugin.BATTERY);
        battery.body().put("currentCharge", 42).put("isCharging", true).put("thresholdEvent", 0);
        phone.send(link, battery);
        // events are signalled in order: once the battery's is out, the others have been handled
        awaitChange(c -> c.getPath().equals(path) && Integer.valueOf(42).equals(
                c.getPropertiesChanged().getOrDefault("Charge", new org.freedesktop.dbus.types.Variant<>(0)).getValue()));

        assertEquals(readsBefore, listReads(), "dconf read " + listKey + " for the phone's events");
        Set<String> interfaces = changesSince(changesBefore).stream().filter(c -> c.getPath().equals(path))
                .map(Properties.PropertiesChanged::getInterfaceName).collect(Collectors.toSet());
        assertEquals(Set.of(Battery1.NAME), interfaces, changesSince(changesBefore)::toString);
    }

    @Test
    void readingTheListOnTheBusRunsNoDconf() throws Exception {
        long readsBefore = listReads();
        Properties device = client.getRemoteObject(DbusService.BUS_NAME, path, Properties.class);
        for (int n = 0; n < 3; n++) {
            assertEquals(Map.of("lock", Map.of("name", "Lock", "command", "true")),
                    device.Get(RunCommand1.NAME, "Commands"));
            device.GetAll(RunCommand1.NAME);
        }
        assertEquals(readsBefore, listReads(), "dconf read " + listKey + " for reads of property Commands");
    }

    @Test
    void anEditOfTheListInGsconnectReachesThePhoneAndTheBus() throws Exception {
        running.add(GsconnectSync.start(daemon).orElseThrow());
        awaitWatching();
        int received = phone.received().size();
        // as GSConnect's Run Commands page writes it
        gsconnect.dconf().write(listKey, "{'lock': <{'name': 'Lock', 'command': 'true'}>, "
                + "'suspend': <{'name': 'Suspend', 'command': 'systemctl suspend'}>}");

        Packet sent = phone.awaitPacket(p -> p.isType(RunCommandPlugin.LIST)
                && p.body().path("commandList").asText().contains("suspend"), WAIT);
        assertEquals(Map.of("lock", Map.of("name", "Lock", "command", "true"),
                        "suspend", Map.of("name", "Suspend", "command", "systemctl suspend")),
                new com.fasterxml.jackson.databind.ObjectMapper().readValue(sent.body().get("commandList").asText(),
                        Map.class));
        assertTrue(phone.received().subList(received, phone.received().size()).stream()
                .noneMatch(p -> p.isType(RunCommandPlugin.LIST) && p != sent), "the list was sent once");
        Properties.PropertiesChanged change = awaitChange(c -> c.getPath().equals(path)
                && c.getInterfaceName().equals(RunCommand1.NAME) && c.getPropertiesChanged().containsKey("Commands"));
        assertEquals(Set.of("lock", "suspend"), ((Map<?, ?>) change.getPropertiesChanged().get("Commands").getValue())
                .keySet());
    }
}
