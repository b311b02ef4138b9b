package io.github.gsbridge.dbus;

import io.github.gsbridge.transfer.Transfer1;
import io.github.gsbridge.plugin.BusInterface;
import io.github.gsbridge.plugin.DeviceRef;
import io.github.gsbridge.plugin.findmyphone.FindMyPhoneDevice1;
import io.github.gsbridge.plugin.notification.NotificationDevice1;
import io.github.gsbridge.plugin.ping.PingDevice1;
import io.github.gsbridge.plugin.share.ShareDevice1;
import io.github.gsbridge.testsupport.BusFixture;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.transfer.Transfer;
import org.freedesktop.dbus.Marshalling;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.messages.DBusSignal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checked-in {@code dbus/*.xml} files are the contract: what a client introspects on the bus
 * is exactly them (plus the standard interfaces), and the Java interfaces dbus-java dispatches
 * through have the same members and signatures.
 */
class DbusIntrospectionTest {
    private static final List<String> STANDARD = List.of("org.freedesktop.DBus.Introspectable",
            "org.freedesktop.DBus.Peer", "org.freedesktop.DBus.Properties");

    @TempDir
    Path dir;
    private BusFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new BusFixture(dir);
    }

    /** A transfer of alpha's, once its object is on the bus. */
    private Transfer transferTo(LoopbackNode peer) throws Exception {
        Transfer transfer = fixture.alpha.transfers().create(peer.id(), Transfer.Direction.OUT, 1, List.of("/x"));
        String path = DbusService.transferPath(transfer.id());
        fixture.await(ObjectManager.InterfacesAdded.class, s -> s.getSignalSource().getPath().equals(path));
        return transfer;
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private static Map<String, SortedSet<String>> file(String name) throws Exception {
        return InterfaceModel.parse(Files.readString(Path.of("dbus", name)));
    }

    private Map<String, SortedSet<String>> exported(String path) throws Exception {
        Map<String, SortedSet<String>> interfaces = InterfaceModel.parse(
                fixture.gdbus.introspectXml(DbusService.BUS_NAME, path));
        for (String standard : STANDARD) {
            assertTrue(interfaces.containsKey(standard), path + " lacks " + standard + ": " + interfaces.keySet());
        }
        interfaces.keySet().removeAll(STANDARD);
        return interfaces;
    }

    @Test
    void exportedObjectsAreExactlyTheCheckedInXml() throws Exception {
        LoopbackNode beta = fixture.startBeta();
        Transfer transfer = transferTo(beta);

        assertEquals(file("io.github.gsbridge.Manager1.xml"), exported(DbusService.MANAGER_PATH));
        Map<String, SortedSet<String>> device = file("io.github.gsbridge.Device1.xml");
        for (BusInterface own : ownInterfaces()) {
            // beta runs the same plugins: each plugin's own interface is on its object too.
            device.putAll(documented(own));
        }
        assertEquals(device, exported(DbusService.devicePath(beta.id())));
        assertEquals(file("io.github.gsbridge.Transfer1.xml"), exported(DbusService.transferPath(transfer.id())));
    }

    @Test
    void theTreeListsDevicesAndTransfers() throws Exception {
        LoopbackNode beta = fixture.startBeta();
        transferTo(beta);
        String tree = fixture.gdbus.introspectXml(DbusService.BUS_NAME, DbusService.MANAGER_PATH);
        assertTrue(tree.contains("<node name=\"Device\"/>") && tree.contains("<node name=\"Transfer\"/>"), tree);
    }

    @Test
    void javaInterfacesMatchTheXml() throws Exception {
        assertEquals(file("io.github.gsbridge.Manager1.xml"), javaModel(ObjectManager.class, Manager1.class));
        assertEquals(file("io.github.gsbridge.Device1.xml"), javaModel(Device1.class, GtkActions.class,
                PingDevice1.class, ShareDevice1.class, NotificationDevice1.class, FindMyPhoneDevice1.class));
        assertEquals(file("io.github.gsbridge.Transfer1.xml"), javaModel(Transfer1.class));
    }

    @Test
    void everyPluginsOwnInterfaceMatchesItsXml() throws Exception {
        List<BusInterface> own = ownInterfaces();
        assertFalse(own.isEmpty(), "no plugin has an interface of its own");
        for (BusInterface part : own) {
            Map<String, SortedSet<String>> documented = documented(part);
            assertEquals(documented, javaModel(documented, part.type()), part.documentation());
        }
    }

    /** The versioned interfaces the daemon's plugins add to device objects. */
    private List<BusInterface> ownInterfaces() {
        DeviceRef nowhere = new DeviceRef() {
            @Override
            public String id() {
                return "0";
            }

            @Override
            public String path() {
                return DbusService.devicePath("0");
            }

            @Override
            public <T> T call(String doing, Call<T> action) {
                throw new UnsupportedOperationException(doing);
            }

            @Override
            public String exportTransfer(io.github.gsbridge.transfer.Transfer transfer) {
                throw new UnsupportedOperationException();
            }
        };
        return fixture.alpha.daemon().plugins().all().stream()
                .flatMap(plugin -> plugin.busSurface(nowhere).interfaces().stream())
                .filter(BusInterface::whenApplicable).toList();
    }

    private static Map<String, SortedSet<String>> documented(BusInterface part) throws Exception {
        try (var in = part.type().getResourceAsStream(part.documentation())) {
            assertTrue(in != null, part.documentation() + " is not beside " + part.type().getName());
            return InterfaceModel.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /**
     * What dbus-java dispatches on: method names and in/out types from the Java interfaces,
     * signal types from the signal classes' constructors. Argument names and properties come from
     * the XML (Java does not keep the names; properties are served by BusObject from tables).
     */
    private Map<String, SortedSet<String>> javaModel(Class<?>... types) throws Exception {
        Map<String, SortedSet<String>> fromXml = new TreeMap<>();
        for (Map<String, SortedSet<String>> part : List.of(file("io.github.gsbridge.Manager1.xml"),
                file("io.github.gsbridge.Device1.xml"), file("io.github.gsbridge.Transfer1.xml"))) {
            fromXml.putAll(part);
        }
        return javaModel(fromXml, types);
    }

    /** As above, with the argument names and properties from {@code fromXml}. */
    private Map<String, SortedSet<String>> javaModel(Map<String, SortedSet<String>> fromXml, Class<?>... types) {
        Map<String, SortedSet<String>> model = new TreeMap<>();
        for (Class<?> type : types) {
            String name = type.getAnnotation(org.freedesktop.dbus.annotations.DBusInterfaceName.class).value();
            SortedSet<String> xmlMembers = fromXml.get(name);
            SortedSet<String> members = new TreeSet<>();
            for (Method method : type.getDeclaredMethods()) {
                if (method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                    continue;
                }
                List<String> in = Arrays.stream(method.getGenericParameterTypes()).map(DbusIntrospectionTest::sig).toList();
                List<String> out = method.getReturnType() == void.class ? List.of()
                        : List.of(sig(method.getGenericReturnType()));
                members.add(withNames(xmlMembers, "method " + method.getName(), in, out));
            }
            for (Class<?> nested : type.getDeclaredClasses()) {
                if (DBusSignal.class.isAssignableFrom(nested)) {
                    Type[] params = nested.getConstructors()[0].getGenericParameterTypes();
                    List<String> sigs = Arrays.stream(params).skip(1).map(DbusIntrospectionTest::sig).toList();
                    members.add(withNames(xmlMembers, "signal " + nested.getSimpleName(), sigs, null));
                }
            }
            xmlMembers.stream().filter(m -> m.startsWith("property ")).forEach(members::add);
            // Device1 is several Java interfaces: the pairing part and each plugin's.
            model.computeIfAbsent(name, key -> new TreeSet<>()).addAll(members);
        }
        return model;
    }

    private static String sig(Type type) {
        try {
            return String.join("", Marshalling.getDBusType(type));
        } catch (Exception e) {
            throw new AssertionError("no D-Bus type for " + type, e);
        }
    }

    /** The member line as InterfaceModel writes it, with the argument names taken from the XML line of that member. */
    private static String withNames(SortedSet<String> xmlMembers, String head, List<String> in, List<String> out) {
        String xmlLine = xmlMembers.stream().filter(m -> m.startsWith(head + "(")).findFirst().orElse(head + "()[]");
        String inside = xmlLine.substring(head.length() + 1, xmlLine.lastIndexOf(')'));
        List<String> names = inside.isEmpty() ? List.of()
                : Arrays.stream(inside.split(", ")).map(a -> a.substring(a.lastIndexOf(' ') + 1)).toList();
        List<String> args = new java.util.ArrayList<>();
        int i = 0;
        for (String t : in) {
            String argName = i < names.size() ? names.get(i) : "?";
            args.add(out == null ? t + " " + argName : "in " + t + " " + argName);
            i++;
        }
        if (out != null) {
            for (String t : out) {
                args.add("out " + t + " " + (i < names.size() ? names.get(i) : "?"));
                i++;
            }
        }
        return head + "(" + String.join(", ", args) + ")" + xmlLine.substring(xmlLine.lastIndexOf(')') + 1);
    }

    static boolean isInterface(Class<?> type) {
        return DBusInterface.class.isAssignableFrom(type);
    }
}
