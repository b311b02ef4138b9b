package io.github.gsbridge.lan.mdns;

import io.github.gsbridge.threads.Threads;
import io.github.gsbridge.wire.DeviceIds;
import io.github.gsbridge.wire.Identity;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * mDNS through the desktop's own Avahi daemon ({@code org.freedesktop.Avahi} on the system bus):
 * Avahi owns port 5353 on Linux desktops, so asking it is the only way that works next to it.
 *
 * <p>Every Avahi call and every signal's handling runs on one thread of its own, in order. A
 * browser or resolver made with {@code ...New} may signal before its path is returned to us;
 * the handler only queues the signal, and by the time the queued task looks at the path, the
 * task that made the object has stored it. That is why the {@code ...New} methods, which every
 * Avahi version has, are safe here and {@code Server2}'s {@code ...Prepare} (Avahi 0.8+) is not
 * needed.
 *
 * <p>Avahi may come and go (restarted, installed later): its name on the bus is followed, and
 * the service is published and the browser made again each time it comes back.
 */
public final class AvahiMdns implements Mdns {
    private static final Logger LOG = LoggerFactory.getLogger(AvahiMdns.class);
    private static final UInt32 NO_FLAGS = new UInt32(0);
    /** A TXT string is at most 255 bytes. */
    private static final int TXT_MAX = 255;

    private final Listener listener;
    private final ExecutorService thread;
    /** Set on the mDNS thread once connected; null without a system bus. */
    private volatile DBusConnection bus;

    // Only touched on the mDNS thread.
    private boolean avahiKnownMissing;
    private boolean running;
    private AvahiServer server;
    private String browser;
    private String group;
    private Identity wanted;
    private int wantedPort;
    /** Resolvers in progress: object path -> service name. */
    private final Map<String, String> resolvers = new HashMap<>();
    /**
     * Where each service is seen: "interface/protocol" pairs (IPv4 and IPv6 mDNS report it
     * separately); it is lost only when it is gone from all of them.
     */
    private final Map<String, Set<String>> seen = new HashMap<>();

    private AvahiMdns(Listener listener) {
        this.listener = listener;
        this.thread = Executors.newSingleThreadExecutor(Threads.daemon("mdns"));
    }

    /**
     * Publishes and browses through Avahi on the bus at {@code systemBus}. Returns at once: the
     * connection is made on the mDNS thread, so a slow or missing system bus never holds up the
     * daemon's start. Without a system bus it says so once, and discovery goes on by broadcast.
     */
    public static Mdns start(String systemBus, Listener listener) {
        AvahiMdns mdns = new AvahiMdns(listener);
        mdns.run(() -> mdns.connect(systemBus));
        return mdns;
    }

    private void connect(String systemBus) {
        DBusConnection connection;
        try {
            connection = DBusConnectionBuilder.forAddress(systemBus).withShared(false).build();
        } catch (DBusException | RuntimeException e) {
            LOG.info("no system bus ({}): no mDNS; peers are found by broadcast and by the addresses you give",
                    e.getMessage());
            return;
        }
        bus = connection;
        try {
            listen();
        } catch (DBusException | RuntimeException e) {
            LOG.info("cannot follow Avahi on the system bus ({}): no mDNS", e.getMessage());
            closeBus();
            return;
        }
        attach();
    }

    private void listen() throws DBusException {
        bus.addSigHandler(DBus.NameOwnerChanged.class, signal -> {
            if (AvahiServer.BUS_NAME.equals(signal.name)) {
                run(signal.newOwner.isEmpty() ? () -> detach("Avahi stopped") : this::attach);
            }
        });
        bus.addSigHandler(AvahiServer.StateChanged.class, signal -> run(() -> serverState(signal.state)));
        bus.addSigHandler(AvahiEntryGroup.StateChanged.class, signal -> run(() -> {
            if (signal.getPath().equals(group)
                    && (signal.state == AvahiEntryGroup.COLLISION || signal.state == AvahiEntryGroup.FAILURE)) {
                LOG.warn("mDNS: cannot publish us: {}", signal.error);
            }
        }));
        bus.addSigHandler(AvahiServiceBrowser.ItemNew.class, signal -> run(() -> {
            if (signal.getPath().equals(browser)) {
                itemNew(signal);
            }
        }));
        bus.addSigHandler(AvahiServiceBrowser.ItemRemove.class, signal -> run(() -> {
            Set<String> where = seen.get(signal.name);
            if (signal.getPath().equals(browser) && where != null && where.remove(signal.iface + "/" + signal.protocol)
                    && where.isEmpty()) {
                seen.remove(signal.name);
                LOG.debug("mDNS: {} withdrew its service", signal.name);
                listener.lost(signal.name);
            }
        }));
        bus.addSigHandler(AvahiServiceBrowser.Failure.class, signal -> run(() -> {
            if (signal.getPath().equals(browser)) {
                LOG.warn("mDNS: browsing for peers failed: {}", signal.error);
            }
        }));
        bus.addSigHandler(AvahiServiceResolver.Found.class, signal -> run(() -> {
            if (resolvers.remove(signal.getPath()) != null) {
                free(signal.getPath());
                found(signal);
            }
        }));
        bus.addSigHandler(AvahiServiceResolver.Failure.class, signal -> run(() -> {
            String name = resolvers.remove(signal.getPath());
            if (name != null) {
                free(signal.getPath());
                LOG.debug("mDNS: cannot resolve {}: {}", name, signal.error);
            }
        }));
    }

    private void run(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (DBusExecutionException | IllegalStateException e) {
                    LOG.info("mDNS: Avahi refused a request: {}", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed.
        }
    }

    /** Avahi is (or may be) on the bus: make the browser, and publish once its host name is settled. */
    private void attach() {
        try {
            DBus dbus = bus.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            if (!dbus.NameHasOwner(AvahiServer.BUS_NAME)) {
                if (!avahiKnownMissing) {
                    avahiKnownMissing = true;
                    LOG.info("Avahi is not running: no mDNS; peers are found by broadcast and by the addresses you "
                            + "give (until Avahi starts)");
                }
                return;
            }
            detach(null);
            server = bus.getRemoteObject(AvahiServer.BUS_NAME, "/", AvahiServer.class);
            LOG.info("mDNS through {} on the system bus", server.GetVersionString());
            avahiKnownMissing = false;
            browser = server.ServiceBrowserNew(AvahiServer.UNSPEC, AvahiServer.UNSPEC, SERVICE_TYPE, "", NO_FLAGS)
                    .getPath();
            serverState(server.GetState());
        } catch (DBusException | DBusExecutionException e) {
            LOG.info("mDNS: cannot use Avahi ({}); peers are found by broadcast and by the addresses you give",
                    e.getMessage());
            server = null;
        }
    }

    /** Forgets Avahi's objects (they die with Avahi, or are replaced); {@code why} is logged when given. */
    private void detach(String why) {
        if (why != null && server != null) {
            LOG.info("mDNS: {}; peers are found by broadcast and by the addresses you give until it is back", why);
        }
        server = null;
        browser = null;
        group = null;
        running = false;
        resolvers.clear();
        seen.clear();
    }

    private void serverState(int state) {
        if (server == null) {
            return;
        }
        running = state == AvahiServer.RUNNING;
        if (running) {
            publishNow();
        } else if (group != null) {
            // Avahi is choosing a new host name: what we published is void; it comes back on RUNNING.
            remote(group, AvahiEntryGroup.class).Reset();
        }
    }

    @Override
    public void publish(Identity identity, int udpPort) {
        run(() -> {
            wanted = identity;
            wantedPort = udpPort;
            publishNow();
        });
    }

    @Override
    public void withdraw() {
        run(() -> {
            wanted = null;
            if (group != null) {
                remote(group, AvahiEntryGroup.class).Reset();
            }
        });
    }

    private void publishNow() {
        if (server == null || !running || wanted == null) {
            return;
        }
        if (group == null) {
            group = server.EntryGroupNew().getPath();
        }
        AvahiEntryGroup entries = remote(group, AvahiEntryGroup.class);
        entries.Reset();
        entries.AddService(AvahiServer.UNSPEC, AvahiServer.UNSPEC, NO_FLAGS, wanted.deviceId(), SERVICE_TYPE, "", "",
                new UInt16(wantedPort), txt(wanted));
        entries.Commit();
        LOG.debug("mDNS: publishing {} \"{}\" on port {}", wanted.deviceId(), wanted.deviceName(), wantedPort);
    }

    static List<byte[]> txt(Identity identity) {
        return List.of(entry("id", identity.deviceId()), entry("name", identity.deviceName()),
                entry("type", identity.deviceType()), entry("protocol", String.valueOf(identity.protocolVersion())));
    }

    private static byte[] entry(String key, String value) {
        byte[] bytes = (key + "=" + value).getBytes(StandardCharsets.UTF_8);
        return bytes.length <= TXT_MAX ? bytes : Arrays.copyOf(bytes, TXT_MAX);
    }

    /** The value of {@code key} in a TXT record, if present. */
    static Optional<String> txtValue(List<byte[]> txt, String key) {
        for (byte[] entry : txt) {
            String text = new String(entry, StandardCharsets.UTF_8);
            if (text.startsWith(key + "=")) {
                return Optional.of(text.substring(key.length() + 1));
            }
        }
        return Optional.empty();
    }

    private void itemNew(AvahiServiceBrowser.ItemNew item) {
        seen.computeIfAbsent(item.name, name -> new HashSet<>()).add(item.iface + "/" + item.protocol);
        if ((item.flags & AvahiServiceBrowser.OUR_OWN) != 0 || (wanted != null && item.name.equals(wanted.deviceId()))
                || resolvers.containsValue(item.name)) {
            return;
        }
        // IPv4: kdeconnect and the phones listen there, and the host record also carries an IPv6
        // link-local address that is useless without its interface.
        String path = server.ServiceResolverNew(item.iface, item.protocol, item.name, item.type, item.domain,
                AvahiServer.INET, NO_FLAGS).getPath();
        resolvers.put(path, item.name);
    }

    private void found(AvahiServiceResolver.Found service) {
        String id = txtValue(service.txt, "id").orElse(service.name);
        if (!DeviceIds.isValid(id) || (wanted != null && id.equals(wanted.deviceId()))) {
            LOG.debug("mDNS: ignored service {} with device id \"{}\"", service.name, id);
            return;
        }
        String name = Identity.sanitizeName(txtValue(service.txt, "name").orElse(id));
        InetAddress address;
        try {
            address = InetAddress.getByName(service.address);
        } catch (UnknownHostException e) {
            LOG.debug("mDNS: {} resolved to an unusable address \"{}\"", id, service.address);
            return;
        }
        LOG.info("mDNS: found {} ({}) at {}:{}", name, id, address.getHostAddress(), service.port);
        listener.found(id, name, address, service.port);
    }

    private <T extends DBusInterface> T remote(String path, Class<T> type) {
        try {
            return bus.getRemoteObject(AvahiServer.BUS_NAME, path, type);
        } catch (DBusException e) {
            throw new DBusExecutionException(e.getMessage());
        }
    }

    private void free(String resolver) {
        try {
            remote(resolver, AvahiServiceResolver.class).Free();
        } catch (DBusExecutionException e) {
            LOG.debug("mDNS: freeing {}: {}", resolver, e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        closeBus();
    }

    /** Avahi frees a client's services, browsers and resolvers when it leaves the bus. */
    private void closeBus() {
        DBusConnection connection = bus;
        bus = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                LOG.debug("mDNS: closing the system bus connection: {}", e.getMessage());
            }
        }
    }
}
