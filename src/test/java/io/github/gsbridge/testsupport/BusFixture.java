package io.github.gsbridge.testsupport;

import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.plugin.Plugin;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A private bus with gsbridge "alpha" serving on it, a second daemon "beta" as its peer on
 * loopback, and a dbus-java client connection on the bus.
 */
public final class BusFixture implements AutoCloseable {
    public static final Duration WAIT = LoopbackNode.WAIT;

    public final PrivateBus bus;
    public final PortRange alphaPorts = Ports.freeRange(7);
    public final PortRange betaPorts = Ports.freeRange(7);
    public final LoopbackNode alpha;
    public final DbusService service;
    public final DBusConnection client;
    public final Gdbus gdbus;
    private final Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<DBusSignal> signals = new ArrayList<>();
    private final Set<Class<?>> recording = new HashSet<>();

    public BusFixture(Path dir) throws Exception {
        this.dir = dir;
        bus = PrivateBus.start(dir.resolve("bus"));
        open.add(bus);
        // alpha announces to beta's discovery port, so Announce and Connect reach beta.
        alpha = LoopbackNode.startStandard(dir, "alpha", alphaPorts, betaPorts.first());
        open.add(alpha);
        service = DbusService.start(alpha.daemon(), connect());
        open.add(service);
        client = connect();
        open.add(client);
        gdbus = new Gdbus(bus.address());
        record(ObjectManager.InterfacesAdded.class);
    }

    /** A fixture for each test, in a {@link Stage} whose directory the test has for its own files too. */
    public static Stage<BusFixture> eachTest() {
        return Stage.eachTest(stage -> stage.track(new BusFixture(stage.dir().resolve("fixture"))));
    }

    public DBusConnection connect() throws DBusException {
        return DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build();
    }

    /** Starts beta, which announces itself to alpha; returns once both are connected. */
    public LoopbackNode startBeta() throws Exception {
        return startPeer("beta", betaPorts);
    }

    public LoopbackNode startPeer(String name, PortRange ports) throws Exception {
        return connected(LoopbackNode.startStandard(dir, name, ports, alphaPorts.first()));
    }

    /** A peer with plugins of the test's choosing, e.g. one that misbehaves. */
    public LoopbackNode startPeer(String name, PortRange ports, Function<LoopbackNode.Wiring, List<Plugin>> plugins)
            throws Exception {
        return connected(LoopbackNode.start(dir.resolve(name), name, ports, alphaPorts.first(), plugins));
    }

    private LoopbackNode connected(LoopbackNode peer) throws Exception {
        open.add(peer);
        // Discovery takes one identity per second from an address; a second peer started within
        // that second on 127.0.0.1 is ignored, so it says hello again until alpha connects.
        for (int attempt = 1; ; attempt++) {
            try {
                alpha.events().await(io.github.gsbridge.device.DeviceEvent.Connected.class,
                        e -> e.deviceId().equals(peer.id()), Duration.ofMillis(1500));
                break;
            } catch (AssertionError e) {
                if (attempt == 10) {
                    throw e;
                }
                peer.daemon().announce();
            }
        }
        peer.awaitConnected(alpha);
        String path = DbusService.devicePath(peer.id());
        await(ObjectManager.InterfacesAdded.class, s -> s.getSignalSource().getPath().equals(path));
        return peer;
    }

    /** Starts beta and pairs it with alpha (alpha asks); returns once alpha's bus shows it paired. */
    public LoopbackNode pairedBeta() throws Exception {
        return paired(startBeta());
    }

    /** Pairs a started peer with alpha (alpha asks); returns once alpha's bus shows it paired. */
    public LoopbackNode paired(LoopbackNode peer) throws Exception {
        record(Properties.PropertiesChanged.class);
        alpha.pairWith(peer);
        awaitProperty(DbusService.devicePath(peer.id()), "Paired", true);
        return peer;
    }

    /** Records signals of that type from now on (once per type, however often asked). */
    public synchronized <T extends DBusSignal> void record(Class<T> type) throws DBusException {
        if (!recording.add(type)) {
            return;
        }
        client.addSigHandler(type, signal -> {
            synchronized (signals) {
                signals.add(signal);
                signals.notifyAll();
            }
        });
    }

    /** Waits for a recorded signal of that type matching {@code match} (earlier ones count). */
    public <T extends DBusSignal> T await(Class<T> type, Predicate<T> match) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (signals) {
            while (true) {
                for (DBusSignal signal : signals) {
                    if (type.isInstance(signal) && match.test(type.cast(signal))) {
                        return type.cast(signal);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching " + type.getSimpleName() + " within " + WAIT + "; got "
                            + signals);
                }
                signals.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    public <T extends DBusSignal> List<T> recorded(Class<T> type) {
        synchronized (signals) {
            return signals.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /** Waits until a PropertiesChanged of {@code path} carries {@code property} with {@code value}. */
    public void awaitProperty(String path, String property, Object value) throws InterruptedException {
        await(Properties.PropertiesChanged.class, s -> s.getPath().equals(path)
                && s.getPropertiesChanged().containsKey(property)
                && s.getPropertiesChanged().get(property).getValue().equals(value));
    }

    public <T extends org.freedesktop.dbus.interfaces.DBusInterface> T remote(String path, Class<T> type)
            throws DBusException {
        return client.getRemoteObject(DbusService.BUS_NAME, path, type);
    }

    public Object property(String path, String iface, String name) throws DBusException {
        Object value = remote(path, Properties.class).Get(iface, name);
        return value instanceof org.freedesktop.dbus.types.Variant<?> variant ? variant.getValue() : value;
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }
}
