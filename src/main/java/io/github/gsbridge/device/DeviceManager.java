package io.github.gsbridge.device;

import io.github.gsbridge.credentials.PairedDevice;
import io.github.gsbridge.credentials.PairingStore;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.PortRange;
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
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * All devices we know, and the trust decision for every new link: a paired device must present
 * exactly the certificate pinned at pairing, and every certificate's CN must be the device id.
 */
public final class DeviceManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceManager.class);

    private final DeviceServices services;
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;

    public DeviceManager(LocalCertificate ourCertificate, TlsSockets tls, PairingStore store, PacketRouter router,
                         EventBus events, PortRange payloadPorts, PortRange peerPayloadPorts) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "device-timers");
            thread.setDaemon(true);
            return thread;
        });
        this.services = new DeviceServices(new DeviceServices.Credentials(ourCertificate, tls, store), router, events,
                scheduler, payloadPorts, peerPayloadPorts);
    }

    /** Uses other credentials from now on (the daemon re-read GSConnect's files); existing links are kept. */
    public void replaceCredentials(LocalCertificate ourCertificate, TlsSockets tls, PairingStore store) {
        services.replaceCredentials(new DeviceServices.Credentials(ourCertificate, tls, store));
    }

    /**
     * Brings the devices in line with the store: newly paired ones become known (and
     * reconnectable), ones no longer paired lose their trust and their link. Runs at start-up and
     * whenever the store changed behind our back (GSConnect or the user edited dconf).
     */
    public void reloadPairings() {
        Map<String, PairedDevice> stored;
        try {
            stored = services.store().load();
        } catch (IOException e) {
            LOG.error("cannot read pairings from {}: {}; keeping what we know", services.store().describe(),
                    e.getMessage());
            return;
        }
        for (PairedDevice record : stored.values()) {
            boolean[] added = new boolean[1];
            Device device = devices.computeIfAbsent(record.id(), id -> {
                added[0] = true;
                return new Device(id, services);
            });
            PairedDevice previous = device.pairedRecord();
            device.setPairedRecord(record);
            device.pairing().restorePaired();
            if (added[0] || previous == null) {
                services.events().publish(new DeviceEvent.Known(device.id()));
            }
            if (previous != null && !previous.certificatePem().equals(record.certificatePem()) && device.link() != null) {
                LOG.info("{}: pinned certificate changed in {}; reconnecting", device, services.store().describe());
                device.link().close();
            }
        }
        for (Device device : devices.values()) {
            if (device.isPaired() && !stored.containsKey(device.id())) {
                LOG.info("{}: no longer paired in {}; dropping its link", device, services.store().describe());
                device.setPairedRecord(null);
                device.pairing().forgotten();
                services.router().disconnected(device);
                services.events().publish(new DeviceEvent.Unpaired(device.id()));
                Link link = device.link();
                if (link != null) {
                    link.close();
                }
            }
        }
        LOG.info("{} paired device(s) in {}", devices.values().stream().filter(Device::isPaired).count(),
                services.store().describe());
    }

    /** Closes every link, e.g. when the ports go back to GSConnect. */
    public void disconnectAll() {
        for (Device device : devices.values()) {
            Link link = device.link();
            if (link != null) {
                link.close();
            }
        }
    }

    public Collection<Device> devices() {
        return List.copyOf(devices.values());
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

    /** Addresses of paired devices that are not connected, to unicast our identity to. */
    public List<InetAddress> reconnectTargets() {
        List<InetAddress> targets = new ArrayList<>();
        for (Device device : devices.values()) {
            if (!device.isPaired() || device.isReachable()) {
                continue;
            }
            device.lastConnection().flatMap(DeviceManager::hostOf).ifPresent(targets::add);
        }
        return targets;
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
        PairedDevice record = readStore().get(id);
        Device device = devices.computeIfAbsent(id, key -> new Device(key, services));
        if (record != null) {
            X509Certificate pinned;
            try {
                pinned = Pem.parseCertificate(record.certificatePem(), services.store().describe() + " device " + id);
            } catch (CredentialsException e) {
                refuse(link, "its pinned certificate is unreadable: " + e.getMessage());
                return;
            }
            if (!Certificates.sameCertificate(presented, pinned)) {
                refuse(link, "it presented a certificate (SHA-256 " + Certificates.sha256Fingerprint(presented)
                        + ") other than the one pinned at pairing (" + Certificates.sha256Fingerprint(pinned) + ")");
                return;
            }
            if (!Certificates.isValidNow(presented)) {
                refuse(link, "its certificate is expired or not yet valid (" + presented.getNotBefore() + " to "
                        + presented.getNotAfter() + ")");
                return;
            }
            device.setPairedRecord(record);
            device.pairing().restorePaired();
        } else if (device.isPaired()) {
            LOG.info("{}: no longer paired in {}", device, services.store().describe());
            device.setPairedRecord(null);
            device.pairing().linkLost();
        }
        Link previous = device.attach(link);
        if (previous != null) {
            LOG.debug("{}: new link replaces {}", device, previous);
            previous.close();
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
            rememberConnection(device, link);
            services.router().connected(device);
        }
    }

    private void onPacket(Device device, Link from, Packet packet) {
        if (device.link() != from) {
            return;
        }
        if (packet.isType(Pairing.TYPE)) {
            device.pairing().handle(packet);
            return;
        }
        if (packet.isType(Identity.TYPE)) {
            LOG.debug("{}: ignored identity packet on an established link", device);
            return;
        }
        if (!device.isPaired()) {
            LOG.warn("{}: refused {} from an unpaired device; answered pair:false", device, packet.type());
            if (device.pairingState() == Pairing.State.NOT_PAIRED) {
                try {
                    device.sendUnchecked(Pairing.pairPacket(false));
                } catch (DeviceException e) {
                    LOG.debug("{}: {}", device, e.getMessage());
                }
            }
            return;
        }
        if (!services.router().incomingTypes().contains(packet.type())) {
            LOG.info("{}: ignored {}: no plugin handles it", device, packet.type());
            return;
        }
        services.router().route(device, packet);
    }

    private void onClosed(Device device, Link closed) {
        if (!device.detach(closed)) {
            return;
        }
        LOG.info("{}: disconnected", device);
        device.pairing().linkLost();
        if (device.isPaired()) {
            services.router().disconnected(device);
        } else {
            // Unpaired devices are only interesting while they are around (GSConnect does the same).
            devices.remove(device.id(), device);
        }
        services.events().publish(new DeviceEvent.Disconnected(device.id()));
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

    private static Optional<InetAddress> hostOf(String lanUri) {
        try {
            String host = URI.create(lanUri).getHost();
            return host == null ? Optional.empty() : Optional.of(InetAddress.getByName(host));
        } catch (IllegalArgumentException | UnknownHostException e) {
            return Optional.empty();
        }
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
