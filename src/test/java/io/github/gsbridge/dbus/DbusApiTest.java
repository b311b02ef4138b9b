package io.github.gsbridge.dbus;

import io.github.gsbridge.transfer.Transfer1;
import io.github.gsbridge.plugin.findmyphone.FindMyPhoneDevice1;
import io.github.gsbridge.plugin.ping.PingDevice1;
import org.freedesktop.dbus.interfaces.DBusInterface;
import io.github.gsbridge.Error;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.BusFixture;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.transfer.Transfer;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.errors.PropertyReadOnly;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manager, device and transfer objects through a real bus: every property, method, signal
 * and error that does not need the share and notification plugins (those are in
 * {@link DbusShareAndNotificationTest}). gsbridge "alpha" serves the bus; "beta" is the device.
 */
class DbusApiTest {
    @TempDir
    Path dir;
    private BusFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new BusFixture(dir);
        fx.record(Properties.PropertiesChanged.class);
        fx.record(ObjectManager.InterfacesRemoved.class);
        fx.record(Device1.PairRequested.class);
        fx.record(PingDevice1.PingReceived.class);
        fx.record(GtkActions.Changed.class);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    private Device1 device(LoopbackNode node) throws Exception {
        return device(node, Device1.class);
    }

    /** The device's object as one of the interfaces (or plugins' parts of Device1) it has. */
    private <T extends DBusInterface> T device(LoopbackNode node, Class<T> type) throws Exception {
        return fx.remote(DbusService.devicePath(node.id()), type);
    }

    private LoopbackNode pairedBeta() throws Exception {
        return fx.pairedBeta();
    }

    @Test
    void managerProperties() throws Exception {
        Map<String, Variant<?>> all = fx.remote(DbusService.MANAGER_PATH, Properties.class).GetAll(Manager1.NAME);
        assertEquals(fx.alpha.id(), all.get("Id").getValue());
        assertEquals("alpha", all.get("Name").getValue());
        assertEquals("active", all.get("State").getValue());
        assertEquals("listening on TCP " + fx.alpha.daemon().tcpPort() + " and UDP " + fx.alpha.udpPort(),
                all.get("StateReason").getValue());
        assertEquals("own", all.get("IdentitySource").getValue());
        assertEquals(new UInt16(fx.alpha.daemon().tcpPort()), all.get("TcpPort").getValue());
        ManagedProcess.Result port = fx.gdbus.call(DbusService.BUS_NAME, DbusService.MANAGER_PATH,
                "org.freedesktop.DBus.Properties.Get", Manager1.NAME, "TcpPort").assertOk("Get TcpPort");
        assertEquals("(<uint16 " + fx.alpha.daemon().tcpPort() + ">,)", port.stdout().strip());

        assertThrows(PropertyReadOnly.class, () -> fx.remote(DbusService.MANAGER_PATH, Properties.class)
                .Set(Manager1.NAME, "Name", "renamed"));

        fx.alpha.daemon().close();
        fx.awaitProperty(DbusService.MANAGER_PATH, "State", "stopped");
        assertEquals(new UInt16(0), fx.property(DbusService.MANAGER_PATH, Manager1.NAME, "TcpPort"));
        assertEquals("gsbridge stopped", fx.property(DbusService.MANAGER_PATH, Manager1.NAME, "StateReason"));
    }

    @Test
    void devicesComeAndGoThroughTheObjectManager() throws Exception {
        LoopbackNode beta = fx.startBeta();
        String path = DbusService.devicePath(beta.id());
        ObjectManager.InterfacesAdded added = fx.await(ObjectManager.InterfacesAdded.class,
                s -> s.getSignalSource().getPath().equals(path));
        assertEquals(DbusService.MANAGER_PATH, added.getPath());
        Map<String, Variant<?>> properties = added.getInterfaces().get(Device1.NAME);
        assertEquals(beta.id(), properties.get("Id").getValue());
        assertEquals("beta", properties.get("Name").getValue());
        assertEquals("desktop", properties.get("Type").getValue());
        assertEquals(false, properties.get("Paired").getValue());
        assertEquals(true, properties.get("Reachable").getValue());
        assertEquals(new UInt32(8), properties.get("ProtocolVersion").getValue());
        assertTrue(((String) properties.get("EncryptionInfo").getValue()).contains("device fingerprint"));
        assertTrue(((List<?>) properties.get("IncomingCapabilities").getValue()).contains(PingPlugin.TYPE));
        assertTrue(((List<?>) properties.get("OutgoingCapabilities").getValue()).contains(PingPlugin.TYPE));
        assertTrue(added.getInterfaces().containsKey(GtkActions.NAME));

        assertEquals("beta", managedObjects().get(path).get(Device1.NAME).get("Name").getValue());

        // An unpaired device is forgotten when it goes.
        beta.close();
        ObjectManager.InterfacesRemoved removed = fx.await(ObjectManager.InterfacesRemoved.class,
                s -> s.getSignalSource().getPath().equals(path));
        assertTrue(removed.getInterfaces().contains(Device1.NAME) && removed.getInterfaces().contains(GtkActions.NAME));
        assertFalse(managedObjects().containsKey(path));
    }

    /** GetManagedObjects by path string: a received DBusPath also compares its sender. */
    /**
     * A capability's own interface is on the device object while the device has the capability,
     * as BlueZ does with its per-profile interfaces: here gamma comes back after an update that
     * gave it a clipboard plugin, then after one that took it away again.
     */
    @Test
    void aCapabilitysInterfaceComesAndGoesWithTheDevice() throws Exception {
        String clipboard = "io.github.gsbridge.Clipboard1";
        PortRange gammaPorts = Ports.freeRange(7);
        LoopbackNode gamma = fx.paired(fx.startPeer("gamma", gammaPorts, w -> List.of(new PingPlugin(w.events()))));
        String path = DbusService.devicePath(gamma.id());
        assertFalse(managedObjects().get(path).containsKey(clipboard));
        gamma.close();

        gamma = fx.startPeer("gamma", gammaPorts);
        fx.await(ObjectManager.InterfacesAdded.class, s -> s.getSignalSource().getPath().equals(path)
                && s.getInterfaces().containsKey(clipboard) && !s.getInterfaces().containsKey(Device1.NAME));
        assertTrue(managedObjects().get(path).containsKey(clipboard));
        assertTrue(fx.gdbus.introspectXml(DbusService.BUS_NAME, path).contains("<interface name=\"" + clipboard + "\">"));
        assertEquals(true, fx.property(path, Device1.NAME, "Paired"), "the device object stayed");
        gamma.close();

        fx.startPeer("gamma", gammaPorts, w -> List.of(new PingPlugin(w.events())));
        fx.await(ObjectManager.InterfacesRemoved.class, s -> s.getSignalSource().getPath().equals(path)
                && s.getInterfaces().contains(clipboard) && !s.getInterfaces().contains(Device1.NAME));
        assertFalse(managedObjects().get(path).containsKey(clipboard));
        assertFalse(fx.gdbus.introspectXml(DbusService.BUS_NAME, path).contains(clipboard));
    }

    private Map<String, Map<String, Map<String, Variant<?>>>> managedObjects() throws Exception {
        Map<String, Map<String, Map<String, Variant<?>>>> byPath = new java.util.HashMap<>();
        fx.remote(DbusService.MANAGER_PATH, ObjectManager.class).GetManagedObjects()
                .forEach((objectPath, interfaces) -> byPath.put(objectPath.getPath(), interfaces));
        return byPath;
    }

    @Test
    void findDeviceByIdOrName() throws Exception {
        LoopbackNode beta = fx.startBeta();
        Manager1 manager = fx.remote(DbusService.MANAGER_PATH, Manager1.class);
        assertEquals(DbusService.devicePath(beta.id()), manager.FindDevice(beta.id()).getPath());
        assertEquals(DbusService.devicePath(beta.id()), manager.FindDevice("beta").getPath());
        Error.UnknownDevice unknown = assertThrows(Error.UnknownDevice.class, () -> manager.FindDevice("gamma"));
        assertEquals("no device is called \"gamma\"", unknown.getMessage());
        ManagedProcess.Result viaGdbus = fx.gdbus.call(DbusService.BUS_NAME, DbusService.MANAGER_PATH,
                Manager1.NAME + ".FindDevice", "gamma");
        assertTrue(viaGdbus.stderr().contains("io.github.gsbridge.Error.UnknownDevice"), viaGdbus.toString());

        LoopbackNode bert = fx.startPeer("bert", Ports.freeRange(7));
        Error.AmbiguousDevice ambiguous = assertThrows(Error.AmbiguousDevice.class, () -> manager.FindDevice("be"));
        assertTrue(ambiguous.getMessage().contains("beta (" + beta.id() + ")")
                && ambiguous.getMessage().contains("bert (" + bert.id() + ")"), ambiguous.getMessage());
    }

    @Test
    void connectSendsOurIdentityToOneHost() throws Exception {
        // beta announces to a port nobody listens on, so only alpha's Connect brings them together.
        LoopbackNode beta = LoopbackNode.startStandard(dir, "beta", fx.betaPorts, Ports.freeRange(1).first());
        try (beta) {
            // Without a port, the identity goes to the discovery port alpha uses for peers: beta's.
            fx.remote(DbusService.MANAGER_PATH, Manager1.class).Connect("lan://127.0.0.1");
            beta.awaitConnected(fx.alpha);
        }
        // gamma listens where alpha never announces: only the port in the address reaches it.
        PortRange gammaPorts = Ports.freeRange(7);
        LoopbackNode gamma = LoopbackNode.startStandard(dir, "gamma", gammaPorts, Ports.freeRange(1).first());
        try (gamma) {
            fx.remote(DbusService.MANAGER_PATH, Manager1.class).Connect("lan://127.0.0.1:" + gammaPorts.first());
            gamma.awaitConnected(fx.alpha);
        }
        Manager1 manager = fx.remote(DbusService.MANAGER_PATH, Manager1.class);
        for (String bad : List.of("127.0.0.1", "http://127.0.0.1", "lan://", "lan://127.0.0.1:99999",
                "lan://127.0.0.1/path", "lan://no-such-host.invalid")) {
            Error.InvalidArgument error = assertThrows(Error.InvalidArgument.class, () -> manager.Connect(bad), bad);
            assertTrue(error.getMessage().contains(bad), error.getMessage());
        }
    }

    @Test
    void announceReachesPeers() throws Exception {
        LoopbackNode beta = LoopbackNode.startStandard(dir, "beta", fx.betaPorts, Ports.freeRange(1).first());
        try (beta) {
            fx.remote(DbusService.MANAGER_PATH, Manager1.class).Announce();
            beta.awaitConnected(fx.alpha);
        }
    }

    @Test
    void pairingRequestedThroughDbus() throws Exception {
        LoopbackNode beta = fx.startBeta();
        String path = DbusService.devicePath(beta.id());
        Error.NotPaired notPaired = assertThrows(Error.NotPaired.class, () -> device(beta, PingDevice1.class).Ping("too early"));
        assertEquals("Cannot ping beta: it is not paired", notPaired.getMessage());

        device(beta).RequestPair();
        String key = beta.events().await(DeviceEvent.PairRequested.class, e -> e.deviceId().equals(fx.alpha.id()),
                BusFixture.WAIT).verificationKey();
        assertEquals("verification key " + key, fx.property(path, Device1.NAME, "EncryptionInfo"));
        assertThrows(Error.Failed.class, () -> device(beta).RequestPair(), "already pending");

        beta.device(fx.alpha.id()).acceptPair();
        fx.awaitProperty(path, "Paired", true);
        GtkActions.Changed enabled = fx.await(GtkActions.Changed.class, s -> s.getPath().equals(path));
        assertEquals(Boolean.TRUE, enabled.enableChanges.get("shareFile"));
        assertTrue(((String) fx.property(path, Device1.NAME, "EncryptionInfo")).startsWith("our fingerprint"));
    }

    @Test
    void pairRequestFromTheDeviceIsSignalledAndAccepted() throws Exception {
        LoopbackNode beta = fx.startBeta();
        String path = DbusService.devicePath(beta.id());
        beta.device(fx.alpha.id()).requestPair();
        Device1.PairRequested request = fx.await(Device1.PairRequested.class, s -> s.getPath().equals(path));
        assertTrue(request.verificationKey.matches("[0-9A-F]{8}"), request.verificationKey);
        device(beta).AcceptPair();
        beta.events().await(DeviceEvent.Paired.class, e -> e.deviceId().equals(fx.alpha.id()), BusFixture.WAIT);
        fx.awaitProperty(path, "Paired", true);
    }

    @Test
    void pairRequestFromTheDeviceIsRejected() throws Exception {
        LoopbackNode beta = fx.startBeta();
        String path = DbusService.devicePath(beta.id());
        Error.Failed notAsked = assertThrows(Error.Failed.class, () -> device(beta).AcceptPair());
        assertTrue(notAsked.getMessage().contains("has not asked to pair"), notAsked.getMessage());

        beta.device(fx.alpha.id()).requestPair();
        fx.await(Device1.PairRequested.class, s -> s.getPath().equals(path));
        device(beta).RejectPair();
        DeviceEvent.PairingFailed failed = beta.events().await(DeviceEvent.PairingFailed.class,
                e -> e.deviceId().equals(fx.alpha.id()), BusFixture.WAIT);
        assertTrue(failed.reason().contains("rejected"), failed.reason());
        assertEquals(false, fx.property(path, Device1.NAME, "Paired"));
    }

    @Test
    void unpairThroughDbus() throws Exception {
        LoopbackNode beta = pairedBeta();
        device(beta).Unpair();
        beta.events().await(DeviceEvent.Unpaired.class, e -> e.deviceId().equals(fx.alpha.id()), BusFixture.WAIT);
        fx.awaitProperty(DbusService.devicePath(beta.id()), "Paired", false);
        assertThrows(Error.NotPaired.class, () -> device(beta).Unpair());
    }

    @Test
    void pingsBothWays() throws Exception {
        LoopbackNode beta = pairedBeta();
        device(beta, PingDevice1.class).Ping("hello beta");
        beta.events().await(PingPlugin.PingReceived.class, e -> e.message().equals("hello beta"), BusFixture.WAIT);
        device(beta, PingDevice1.class).Ping("");
        beta.events().await(PingPlugin.PingReceived.class, e -> e.message().isEmpty(), BusFixture.WAIT);

        beta.daemon().plugins().get(PingPlugin.class).ping(beta.device(fx.alpha.id()), Optional.of("hello alpha"));
        PingDevice1.PingReceived ping = fx.await(PingDevice1.PingReceived.class, s -> s.message.equals("hello alpha"));
        assertEquals(DbusService.devicePath(beta.id()), ping.getPath());
    }

    @Test
    void aPairedDeviceThatLeftIsNotReachable() throws Exception {
        LoopbackNode beta = pairedBeta();
        String path = DbusService.devicePath(beta.id());
        beta.close();
        fx.awaitProperty(path, "Reachable", false);
        GtkActions.Changed disabled = fx.await(GtkActions.Changed.class,
                s -> s.getPath().equals(path) && Boolean.FALSE.equals(s.enableChanges.get("ping")));
        assertEquals(fx.remote(path, GtkActions.class).List().size(), disabled.enableChanges.size(), "every action");
        Error.NotReachable error = assertThrows(Error.NotReachable.class, () -> device(beta, PingDevice1.class).Ping("anyone?"));
        assertTrue(error.getMessage().contains("not connected"), error.getMessage());
        assertEquals(true, fx.property(path, Device1.NAME, "Paired"), "a paired device stays");
    }

    @Test
    void ringFailsWhereTheDeviceCannotRing() throws Exception {
        LoopbackNode beta = pairedBeta();
        // beta is a desktop: it takes no kdeconnect.findmyphone.request.
        Error.Failed error = assertThrows(Error.Failed.class, () -> device(beta, FindMyPhoneDevice1.class).Ring());
        assertTrue(error.getMessage().startsWith("Cannot ring beta: it does not accept "), error.getMessage());
    }

    @Test
    void gsconnectActions() throws Exception {
        LoopbackNode beta = pairedBeta();
        String path = DbusService.devicePath(beta.id());
        assertEquals(List.of("shareFile", "shareUri", "shareText", "sendNotification", "withdrawNotification", "ping",
                "ring", "executeCommand"), fx.remote(path, GtkActions.class).List());
        assertEquals("((true, signature '(sb)', @av []),)", fx.gdbus.call(DbusService.BUS_NAME, path,
                "org.gtk.Actions.Describe", "shareFile").assertOk("Describe").stdout().strip());
        String all = fx.gdbus.call(DbusService.BUS_NAME, path, "org.gtk.Actions.DescribeAll")
                .assertOk("DescribeAll").stdout();
        // gdbus spells out the types of the first entry only.
        for (String expected : List.of("'shareFile': (true, signature '(sb)', @av [])", "'shareUri': (true, 's', [])",
                "'sendNotification': (true, 'a{sv}', [])", "'ring': (true, '', [])")) {
            assertTrue(all.contains(expected), all);
        }

        fx.gdbus.call(DbusService.BUS_NAME, path, "org.gtk.Actions.Activate", "ping", "[<'from a script'>]", "{}")
                .assertOk("Activate ping");
        beta.events().await(PingPlugin.PingReceived.class, e -> e.message().equals("from a script"), BusFixture.WAIT);

        for (String[] bad : List.of(new String[] {"unknown", "[]"}, new String[] {"ping", "[<42>]"},
                new String[] {"ping", "[]"}, new String[] {"ring", "[<'x'>]"})) {
            ManagedProcess.Result result = fx.gdbus.call(DbusService.BUS_NAME, path, "org.gtk.Actions.Activate",
                    bad[0], bad[1], "{}");
            assertTrue(result.stderr().contains("io.github.gsbridge.Error.InvalidArgument"), result.toString());
        }
        assertThrows(Error.InvalidArgument.class, () -> fx.remote(path, GtkActions.class)
                .SetState("ping", new Variant<>("x"), Map.of()));
    }

    @Test
    void transfersAppearProgressAndCancel() throws Exception {
        LoopbackNode beta = fx.startBeta();
        Transfer transfer = fx.alpha.transfers().create(beta.id(), Transfer.Direction.OUT, 1000, List.of("/tmp/a"));
        String path = DbusService.transferPath(transfer.id());
        ObjectManager.InterfacesAdded added = fx.await(ObjectManager.InterfacesAdded.class,
                s -> s.getSignalSource().getPath().equals(path));
        Map<String, Variant<?>> properties = added.getInterfaces().get(Transfer1.NAME);
        assertEquals(DbusService.devicePath(beta.id()), ((DBusPath) properties.get("Device").getValue()).getPath());
        assertEquals("out", properties.get("Direction").getValue());
        assertEquals("queued", properties.get("State").getValue());
        assertEquals(new UInt64(1000), properties.get("BytesTotal").getValue());
        assertEquals(new UInt64(0), properties.get("BytesDone").getValue());
        assertEquals(List.of("/tmp/a"), properties.get("Files").getValue());
        assertEquals("", properties.get("Error").getValue());

        transfer.start();
        fx.awaitProperty(path, "State", "active");
        transfer.progress(400);
        fx.awaitProperty(path, "BytesDone", new UInt64(400));
        fx.remote(path, Transfer1.class).Cancel();
        assertTrue(transfer.isCancelled());
        fx.awaitProperty(path, "State", "cancelled");

        Transfer failing = fx.alpha.transfers().create(beta.id(), Transfer.Direction.IN, 5, List.of());
        failing.fail("the device went away");
        fx.await(ObjectManager.InterfacesAdded.class,
                s -> s.getSignalSource().getPath().equals(DbusService.transferPath(failing.id())));
        assertEquals("the device went away", fx.property(DbusService.transferPath(failing.id()), Transfer1.NAME, "Error"));
        assertEquals("in", fx.property(DbusService.transferPath(failing.id()), Transfer1.NAME, "Direction"));

        // Only the newest hundred finished transfers are kept; older ones leave the bus.
        for (int i = 0; i < 100; i++) {
            fx.alpha.transfers().create(beta.id(), Transfer.Direction.OUT, 1, List.of("/x")).complete();
        }
        fx.await(ObjectManager.InterfacesRemoved.class, s -> s.getSignalSource().getPath().equals(path)
                && s.getInterfaces().equals(List.of(Transfer1.NAME)));
    }

    @Test
    void aSecondServiceOnTheBusIsRefusedAndTheNameIsReleasedOnClose() throws Exception {
        DBusConnection second = fx.connect();
        DbusService.NameTakenException taken = assertThrows(DbusService.NameTakenException.class,
                () -> DbusService.start(fx.alpha.daemon(), second));
        assertTrue(taken.getMessage().contains("another gsbridge is running"), taken.getMessage());
        assertTrue(DbusService.nameOwner(fx.client).isPresent());
        fx.service.close();
        assertEquals(Optional.empty(), DbusService.nameOwner(fx.client));
    }
}
