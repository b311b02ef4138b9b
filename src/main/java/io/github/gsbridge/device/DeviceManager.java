package io.github.gsbridge.device;

import io.github.gsbridge.credentials.PairedDevice;
import io.github.gsbridge.credentials.PairingStore;
import io.github.gsbridge.credentials.ProtocolHistory;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.threads.Threads;
import io.github.gsbridge.tls.Certificates;
import io.github.gsbridge.tls.CredentialsException;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.Pem;
import io.github.gsbridge.tls.TlsSockets;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * All devices we know, and the trust decision for every new link: a paired device must present
 * exactly the certificate pinned at pairing, and every certificate's CN must be the device id.
 */
public final class DeviceManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceManager.class);

    /** Unpaired links at once, from anywhere; paired devices are never counted or refused. */
    static final int MAX_UNPAIRED = 16;
    /** Unpaired links from one address: a host runs one KDE Connect, two while one replaces the other. */
    static final int MAX_UNPAIRED_PER_ADDRESS = 2;
    private static final String STALE_READ = "its pairing changed while it connected; it may connect again";
    /**
     * How long a replaced link stays open. kdeconnectd reuses its link object for the new socket and
     * deletes that object when the old socket closes: closing ours before it has read our identity on
     * the new one (it reads only after writing its own) made it drop the new link too. Peers close the
     * old socket themselves once the new one is theirs; this is for those that do not.
     */
    static final Duration REPLACED_LINK_GRACE = Duration.ofSeconds(2);

    private final DeviceServices services;
    /** Admitted links of unpaired devices; entries leave when they close or their device pairs. */
    private final Set<Link> unpairedLinks = new HashSet<>();
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    /** Per device id, the link a newer one replaced, until the peer or {@link #REPLACED_LINK_GRACE} closes it. */
    private final Map<String, Link> replacedLinks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final ProtocolHistory protocols;
    /** How long an unpaired device may stay connected without a pair request under way. */
    private final Duration unpairedIdle;

    public DeviceManager(LocalCertificate ourCertificate, TlsSockets tls, PairingStore store, ProtocolHistory protocols,
                         PacketRouter router, EventBus events, PortRange payloadPorts, PortRange peerPayloadPorts,
                         Duration unpairedIdle) {
        this.protocols = protocols;
        this.unpairedIdle = unpairedIdle;
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, Threads.daemon("device-timers"));
        // At close, store writes already queued finish; timeouts that have not come (pairing, idle
        // strangers) are dropped instead of holding the close up.
        timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.scheduler = timers;
        this.services = new DeviceServices(new DeviceServices.Credentials(ourCertificate, tls, store), router,
                new DeviceServices.PairingListener() {
                    @Override
                    public void paired(Device device) {
                        Link link = device.link();
                        if (link != null) {
                            protocols.record(device.id(), link.identity().protocolVersion());
                        }
                    }

                    @Override
                    public void unpaired(Device device) {
                        protocols.forget(device.id());
                    }

                    @Override
                    public void settled(Device device) {
                        // Off the pairing's lock: forgetting takes the manager's, which is taken before a pairing's.
                        scheduler.execute(() -> forgetIfIdle(device));
                    }
                }, events, scheduler, payloadPorts, peerPayloadPorts);
    }

    /** Uses other credentials from now on (the daemon re-read GSConnect's files); existing links are kept. */
    public void replaceCredentials(LocalCertificate ourCertificate, TlsSockets tls, PairingStore store) {
        services.replaceCredentials(new DeviceServices.Credentials(ourCertificate, tls, store));
    }

    /**
     * Brings the devices in line with the store: newly paired ones become known (and
     * reconnectable), ones no longer paired lose their trust and their link. Runs at start-up and
     * whenever the store changed behind our back (GSConnect or the user edited dconf). A read that
     * one of our own pairings or unpairings overtook is not applied but made again.
     */
    public void reloadPairings() {
        while (!reloadOnce()) {
            LOG.debug("our own pairing changes came while {} was read; reading it again", services.store().describe());
        }
    }

    /** One read of the store, applied; false when one of our own pairing writes ended meanwhile. */
    private boolean reloadOnce() {
        long readAt = services.trustWrites();
        Map<String, PairedDevice> stored;
        try {
            stored = services.store().load();
        } catch (IOException e) {
            LOG.error("cannot read pairings from {}: {}; keeping what we know", services.store().describe(),
                    e.getMessage());
            return true;
        }
        for (PairedDevice record : stored.values()) {
            boolean[] added = new boolean[1];
            Device device = devices.computeIfAbsent(record.id(), id -> {
                added[0] = true;
                return new Device(id, services);
            });
            PairedDevice previous = device.pairedRecord();
            if (!device.pairing().restoreStored(record, readAt)) {
                if (added[0]) {
                    removeIfIdle(device);
                }
                return false;
            }
            if (added[0] || previous == null) {
                services.events().publish(new DeviceEvent.Known(device.id()));
            }
            if (previous != null && !previous.certificatePem().equals(record.certificatePem()) && device.link() != null) {
                LOG.info("{}: pinned certificate changed in {}; reconnecting", device, services.store().describe());
                device.link().close();
            }
        }
        for (Device device : devices.values()) {
            if (!stored.containsKey(device.id()) && device.pairing().forgetUnstored(readAt)) {
                LOG.info("{}: no longer paired in {}; dropping its link", device, services.store().describe());
                protocols.forget(device.id());
                services.router().disconnected(device);
                services.events().publish(new DeviceEvent.Unpaired(device.id()));
                Link link = device.link();
                if (link != null) {
                    link.close();
                }
            }
        }
        if (services.trustWrites() != readAt) {
            return false;
        }
        LOG.info("{} paired device(s) in {}", devices.values().stream().filter(Device::isPaired).count(),
                services.store().describe());
        return true;
    }

    /** Closes every link, e.g. when the ports go back to GSConnect. */
    public void disconnectAll() {
        for (Device device : devices.values()) {
            Link link = device.link();
            if (link != null) {
                link.close();
            }
        }
        replacedLinks.values().forEach(Link::close);
    }

    public Collection<Device> devices() {
        return List.copyOf(devices.values());
    }

    public boolean isPaired(String deviceId) {
        Device device = devices.get(deviceId);
        return device != null && device.isPaired();
    }

    /** A device by id, or by name when exactly one known device has it. */
    public Optional<Device> find(String idOrName) {
        Device byId = devices.get(idOrName);
        if (byId != null) {
            return Optional.of(byId);
        }
        List<Device> byName = devices.values().stream().filter(d -> d.name().equals(idOrName)).toList();
        return byName.size() == 1 ? Optional.of(byName.get(0)) : Optional.empty();
    }

    /**
     * The devices a person may mean by {@code query}: the one with that id, else those with that
     * name, else that name in any case, else those whose name or id begins with it (any case).
     * More than one means the query is ambiguous.
     */
    public List<Device> matching(String query) {
        Device byId = devices.get(query);
        if (byId != null) {
            return List.of(byId);
        }
        String lower = query.toLowerCase(Locale.ROOT);
        List<Predicate<Device>> stages = List.of(
                d -> d.name().equals(query),
                d -> d.name().toLowerCase(Locale.ROOT).equals(lower),
                d -> !lower.isEmpty() && (d.name().toLowerCase(Locale.ROOT).startsWith(lower)
                        || d.id().toLowerCase(Locale.ROOT).startsWith(lower)));
        for (Predicate<Device> stage : stages) {
            List<Device> found = devices.values().stream().filter(stage)
                    .sorted(Comparator.comparing(Device::name)).toList();
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    /** The connected device whose link comes from {@code address}, if any. */
    public Optional<Device> connectedAt(InetAddress address) {
        return devices.values().stream().filter(device -> {
            Link link = device.link();
            return link != null && link.isOpen() && link.remoteAddress().equals(address);
        }).findFirst();
    }

    /** Decides whether a freshly authenticated link is trusted; refused links are closed here. */
    public void onLink(Link link) {
        String id = link.deviceId();
        X509Certificate presented = link.peerCertificate();
        Optional<String> commonName = Certificates.commonName(presented);
        if (commonName.isEmpty() || !commonName.get().equals(id)) {
            refuse(link, "its certificate's CN " + commonName.orElse("(none)") + " is not its device id");
            return;
        }
        long readAt = services.trustWrites();
        PairedDevice record = storedPairing(id, presented);
        if (record == null && !admitUnpaired(link)) {
            return;
        }
        Device device;
        synchronized (this) {
            Device known = devices.get(id);
            device = known != null ? known : new Device(id, services);
            if (record != null) {
                Optional<String> refusal = pairedRefusal(link, record);
                if (refusal.isPresent()) {
                    refuse(link, refusal.get());
                    return;
                }
                if (!device.pairing().restoreStored(record, readAt)) {
                    refuse(link, STALE_READ);
                    return;
                }
            } else {
                if (device.pairing().forgetUnstored(readAt)) {
                    LOG.info("{}: no longer paired in {}", device, services.store().describe());
                } else if (device.isPaired()) {
                    // Paired by us after the store was read: this link's certificate was not checked against the pin.
                    refuse(link, STALE_READ);
                    return;
                }
                Link current = device.link();
                // kdeconnect-kde, Android and Valent refuse this too: an id is not a credential, and
                // someone else who uses it must not push the real device off its link.
                if (current != null && current.isOpen()
                        && !Certificates.sameCertificate(current.peerCertificate(), presented)) {
                    refuse(link, "it is connected already with another certificate (SHA-256 "
                            + Certificates.sha256Fingerprint(current.peerCertificate()) + ")");
                    return;
                }
                device.pairing().linkReplaced(link);
            }
            devices.put(id, device);
            Link previous = device.attach(link);
            if (previous != null) {
                LOG.debug("{}: new link replaces {}", device, previous);
                retire(id, previous);
            }
        }
        link.start(new Link.Handler() {
            @Override
            public void onPacket(Link from, Packet packet) {
                DeviceManager.this.onPacket(device, from, packet);
            }

            @Override
            public void onClosed(Link closed) {
                DeviceManager.this.onClosed(device, closed);
            }
        });
        LOG.info("{}: connected from {} ({}, protocol {}, {})", device, link.remoteAddress().getHostAddress(),
                link.direction().name().toLowerCase(), link.identity().protocolVersion(),
                device.isPaired() ? "paired" : "not paired");
        services.events().publish(new DeviceEvent.Connected(id, device.name()));
        if (device.isPaired()) {
            protocols.record(id, link.identity().protocolVersion());
            rememberConnection(device, link);
            services.router().connected(device);
        } else {
            scheduler.schedule(() -> dropIfIdleAndUnpaired(device, link), unpairedIdle.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Why a link of a paired device is refused: another certificate than the pinned one, or a downgrade. */
    private Optional<String> pairedRefusal(Link link, PairedDevice record) {
        X509Certificate presented = link.peerCertificate();
        X509Certificate pinned;
        try {
            pinned = Pem.parseCertificate(record.certificatePem(), services.store().describe() + " device " + record.id());
        } catch (CredentialsException e) {
            return Optional.of("its pinned certificate is unreadable: " + e.getMessage());
        }
        if (!Certificates.sameCertificate(presented, pinned)) {
            return Optional.of("it presented a certificate (SHA-256 " + Certificates.sha256Fingerprint(presented)
                    + ") other than the one pinned at pairing (" + Certificates.sha256Fingerprint(pinned) + ")");
        }
        if (!Certificates.isValidNow(presented)) {
            return Optional.of("its certificate is expired or not yet valid (" + presented.getNotBefore() + " to "
                    + presented.getNotAfter() + ")");
        }
        int spoken = protocols.highest(record.id());
        int announced = link.identity().protocolVersion();
        if (announced < spoken) {
            return Optional.of("it spoke protocol " + spoken + " before and now announces " + announced
                    + "; a paired device never goes back (unpair and pair again if it really runs an older app now)");
        }
        return Optional.empty();
    }

    /**
     * The stored pairing for a link's device. The store is read only for a device we hold as
     * paired and that presents the pinned certificate: reading it (a {@code dconf dump}) for
     * every stranger's link let anyone spawn processes at will. A pairing made elsewhere while we
     * run reaches {@link #reloadPairings()} through the store's watch.
     */
    private PairedDevice storedPairing(String id, X509Certificate presented) {
        Device known = devices.get(id);
        PairedDevice record = known == null ? null : known.pairedRecord();
        if (record == null) {
            return null;
        }
        try {
            X509Certificate pinned = Pem.parseCertificate(record.certificatePem(), "pinned certificate of " + id);
            if (!Certificates.sameCertificate(presented, pinned)) {
                return record;
            }
        } catch (CredentialsException e) {
            return record;
        }
        return readStore().get(id);
    }

    /**
     * Counts a link from a device that is not paired against the limits, or refuses it. Each such
     * link costs a thread, TLS buffers, a device and its D-Bus object; one host opened thousands.
     */
    private boolean admitUnpaired(Link link) {
        synchronized (unpairedLinks) {
            unpairedLinks.removeIf(admitted -> !admitted.isOpen() || isPairedLink(admitted));
            // A device that reconnects replaces its own link rather than adding one.
            List<Link> others = unpairedLinks.stream().filter(l -> !l.deviceId().equals(link.deviceId())).toList();
            long fromAddress = others.stream().filter(l -> l.remoteAddress().equals(link.remoteAddress())).count();
            if (fromAddress >= MAX_UNPAIRED_PER_ADDRESS) {
                refuse(link, "not paired, and " + fromAddress + " unpaired devices from that address are connected");
                return false;
            }
            if (others.size() >= MAX_UNPAIRED) {
                refuse(link, "not paired, and " + others.size() + " unpaired devices are connected");
                return false;
            }
            unpairedLinks.add(link);
            return true;
        }
    }

    private boolean isPairedLink(Link link) {
        Device device = devices.get(link.deviceId());
        return device != null && device.link() == link && device.isPaired();
    }

    /** An unpaired device is connected to pair; one that has not started within the limit is dropped. */
    private void dropIfIdleAndUnpaired(Device device, Link link) {
        if (device.link() != link || !link.isOpen() || device.isPaired()) {
            return;
        }
        if (device.pairingState() != Pairing.State.NOT_PAIRED) {
            scheduler.schedule(() -> dropIfIdleAndUnpaired(device, link), unpairedIdle.toMillis(),
                    TimeUnit.MILLISECONDS);
            return;
        }
        LOG.info("{}: closing link: not paired, and no pairing started within {} s", device,
                unpairedIdle.toSeconds());
        link.close();
    }

    private void onPacket(Device device, Link from, Packet packet) {
        if (device.link() != from) {
            return;
        }
        if (packet.isType(Pairing.TYPE)) {
            device.pairing().handle(packet, from);
            return;
        }
        if (packet.isType(Identity.TYPE)) {
            LOG.debug("{}: ignored identity packet on an established link", device);
            return;
        }
        if (!device.isPaired()) {
            device.pairing().refuseUnpaired(packet.type());
            return;
        }
        if (!services.router().incomingTypes().contains(packet.type())) {
            LOG.info("{}: ignored {}: no plugin handles it", device, packet.type());
            return;
        }
        services.router().route(device, packet);
    }

    /** Closes {@code replaced} after the grace; at most one replaced link per device waits (one more it closes now). */
    private void retire(String deviceId, Link replaced) {
        replaced.markReplaced();
        Link older = replacedLinks.put(deviceId, replaced);
        if (older != null) {
            older.close();
        }
        Runnable closeIfStillOpen = () -> {
            if (replacedLinks.remove(deviceId, replaced)) {
                replaced.close();
            }
        };
        try {
            scheduler.schedule(closeIfStillOpen, REPLACED_LINK_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            closeIfStillOpen.run();
        }
    }

    private void onClosed(Device device, Link closed) {
        replacedLinks.remove(device.id(), closed);
        synchronized (this) {
            if (!device.detach(closed)) {
                return;
            }
            // Unpaired devices are only interesting while they are around (GSConnect does the same),
            // or while their pair request runs: the device may be reconnecting before it answers.
            if (!device.isPaired() && !device.pairing().isPending()) {
                devices.remove(device.id(), device);
            }
        }
        LOG.info("{}: disconnected", device);
        if (device.isPaired()) {
            services.router().disconnected(device);
        }
        services.events().publish(new DeviceEvent.Disconnected(device.id()));
    }

    /** Drops an unpaired device whose pair request ended while it had no link. */
    private void forgetIfIdle(Device device) {
        if (removeIfIdle(device)) {
            services.events().publish(new DeviceEvent.Disconnected(device.id()));
        }
    }

    /** Removes a device that is neither paired, nor connected, nor pairing; true when it was removed. */
    private synchronized boolean removeIfIdle(Device device) {
        return !device.isPaired() && !device.isReachable() && !device.pairing().isPending()
                && devices.remove(device.id(), device);
    }

    /** Stores where and as what the device was last seen, off the link's thread (dconf is a process spawn). */
    private void rememberConnection(Device device, Link link) {
        PairedDevice record = device.pairedRecord();
        if (record == null) {
            return;
        }
        PairedDevice updated = new PairedDevice(record.id(), device.name(), device.type(), record.certificatePem(),
                Optional.of(link.lastConnectionUri()));
        device.setPairedRecord(updated);
        Identity identity = link.identity();
        scheduler.execute(() -> {
            try {
                services.store().recordConnection(updated, identity.incomingCapabilities(),
                        identity.outgoingCapabilities());
            } catch (IOException e) {
                LOG.warn("{}: cannot record this connection: {}", device, e.getMessage());
            }
        });
    }

    private Map<String, PairedDevice> readStore() {
        try {
            return services.store().load();
        } catch (IOException e) {
            LOG.error("cannot read pairings from {}: {}", services.store().describe(), e.getMessage());
            Map<String, PairedDevice> known = new java.util.HashMap<>();
            devices.values().stream().map(Device::pairedRecord).filter(r -> r != null).forEach(r -> known.put(r.id(), r));
            return known;
        }
    }

    private void refuse(Link link, String reason) {
        LOG.warn("{}: refused link from {}: {}", link.deviceId(), link.remoteAddress().getHostAddress(), reason);
        link.close();
    }

    @Override
    public void close() {
        disconnectAll();
        scheduler.shutdown();
        try {
            // Let a store write in flight finish rather than leave a half-written temp file behind.
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
