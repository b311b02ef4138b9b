package io.github.gsbridge.device;

import io.github.gsbridge.credentials.PairedDevice;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.tls.Certificates;
import io.github.gsbridge.tls.Pem;
import io.github.gsbridge.wire.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code kdeconnect.pair} exchange with one device: request, accept, reject, unpair, with
 * the 30-second timeouts every implementation uses.
 *
 * <p>A pending request belongs to the device and to the certificate it was made with, not to one
 * link: peers re-announce themselves and reconnect while the user reads the key, and the request
 * must survive that. A link with another certificate cancels it instead, since the key the user is
 * comparing was computed from the first certificate, and that certificate is the one pinned.
 */
public final class Pairing {
    private static final Logger LOG = LoggerFactory.getLogger(Pairing.class);
    public static final String TYPE = "kdeconnect.pair";
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** kdeconnect-kde, Android and Valent refuse v8 requests whose timestamp is further off than this. */
    private static final long MAX_CLOCK_SKEW_SECONDS = 1800;
    private static final Duration REFUSAL_INTERVAL = Duration.ofSeconds(1);

    public enum State { NOT_PAIRED, REQUESTED_BY_US, REQUESTED_BY_PEER, PAIRED }

    /** The certificate and protocol a pending request was made with, and its protocol-8 timestamp. */
    private record Request(X509Certificate certificate, int protocolVersion, Long timestamp) { }

    private final Device device;
    private final DeviceServices services;
    private State state = State.NOT_PAIRED;
    private Request request;
    private ScheduledFuture<?> timeout;
    /** When the device was last told with pair:false that it is not paired (System.nanoTime). */
    private Long lastRefusal;

    Pairing(Device device, DeviceServices services) {
        this.device = device;
        this.services = services;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized boolean isPending() {
        return state == State.REQUESTED_BY_US || state == State.REQUESTED_BY_PEER;
    }

    /**
     * The pending request's verification key, or empty when none is pending or the device speaks
     * protocol 7, whose implementations show certificate fingerprints instead.
     */
    public synchronized Optional<String> verificationKey() {
        if (!isPending() || request.protocolVersion() < 8) {
            return Optional.empty();
        }
        return Optional.of(VerificationKey.of(services.ourCertificate().certificate().getPublicKey(),
                request.certificate().getPublicKey(), request.timestamp()));
    }

    /** The certificate of the pending request, which is what pairing pins; null when none is pending. */
    synchronized X509Certificate requestCertificate() {
        return isPending() ? request.certificate() : null;
    }

    /**
     * The store, read when {@link DeviceServices#trustWrites()} was {@code readAt}, lists the device
     * as paired with {@code record}. Applied only when none of our own pairing writes has ended
     * since: the read may have come just before our unpairing was written and would pair the
     * device again. Our writes happen under this lock, so one under way is waited for.
     *
     * @return false when the read is stale and was not applied
     */
    synchronized boolean restoreStored(PairedDevice record, long readAt) {
        if (services.trustWrites() != readAt) {
            return false;
        }
        device.setPairedRecord(record);
        cancelTimeout();
        request = null;
        state = State.PAIRED;
        return true;
    }

    /**
     * The store, read as for {@link #restoreStored}, does not list the device (it was unpaired
     * elsewhere). A stale read leaves the device as it is, since it may predate our pairing.
     *
     * @return true when the device was paired and no longer is
     */
    synchronized boolean forgetUnstored(long readAt) {
        if (services.trustWrites() != readAt || !device.isPaired()) {
            return false;
        }
        device.setPairedRecord(null);
        cancelTimeout();
        request = null;
        state = State.NOT_PAIRED;
        return true;
    }

    synchronized void request() throws DeviceException {
        switch (state) {
            case PAIRED -> throw new DeviceException(device.id() + " is already paired");
            case REQUESTED_BY_US -> throw new DeviceException("a pair request to " + device.id() + " is already pending");
            case REQUESTED_BY_PEER -> accept();
            case NOT_PAIRED -> {
                long now = System.currentTimeMillis() / 1000;
                Packet packet = pairPacket(true);
                packet.body().put("timestamp", now);
                Link link = device.sendUnchecked(packet);
                request = new Request(link.peerCertificate(), link.protocolVersion(), now);
                state = State.REQUESTED_BY_US;
                startTimeout();
                LOG.info("{}: pair request sent", device);
            }
        }
    }

    synchronized void accept() throws DeviceException {
        if (state != State.REQUESTED_BY_PEER) {
            throw new DeviceException(device.id() + " has not asked to pair");
        }
        Link link = device.requireLink();
        if (!Certificates.sameCertificate(link.peerCertificate(), request.certificate())) {
            // Cannot happen while onLink cancels such requests; refuse rather than pin what nobody compared.
            throw new DeviceException(device.id() + " now presents another certificate; ask it to pair again");
        }
        // Paired before the answer leaves: the device may send its first packets the moment it reads it.
        becomePaired(request.certificate());
        try {
            device.sendUnchecked(pairPacket(true));
        } catch (DeviceException e) {
            LOG.warn("{}: paired, but the answer could not be sent ({}); the device learns at the next connection",
                    device, e.getMessage());
        }
        announcePaired();
    }

    synchronized void reject() throws DeviceException {
        if (state != State.REQUESTED_BY_PEER) {
            throw new DeviceException(device.id() + " has not asked to pair");
        }
        end("rejected by the user");
        sendQuietly(pairPacket(false));
    }

    synchronized void unpair() throws DeviceException {
        if (state == State.NOT_PAIRED || state == State.REQUESTED_BY_PEER) {
            throw new DeviceException.NotPaired(device.id());
        }
        boolean wasPaired = state == State.PAIRED;
        try {
            device.sendUnchecked(pairPacket(false));
        } catch (DeviceException.NotReachable e) {
            LOG.debug("{}: unpaired while not connected; it learns at the next connection", device);
        }
        if (wasPaired) {
            state = State.NOT_PAIRED;
            forget();
        } else {
            end("cancelled");
        }
    }

    /** A {@code kdeconnect.pair} packet arrived on {@code link}, the device's current link. */
    synchronized void handle(Packet packet, Link link) {
        Optional<Boolean> pair = packet.bool("pair");
        if (pair.isEmpty()) {
            LOG.warn("{}: ignored {} without \"pair\"", device, TYPE);
            return;
        }
        if (pair.get()) {
            handleRequestOrAccept(packet, link);
        } else {
            handleRefusal();
        }
    }

    private void handleRequestOrAccept(Packet packet, Link link) {
        switch (state) {
            case REQUESTED_BY_US -> {
                if (!Certificates.sameCertificate(link.peerCertificate(), request.certificate())) {
                    LOG.warn("{}: ignored an accept from a certificate other than the one asked", device);
                    return;
                }
                LOG.info("{}: accepted our pair request", device);
                becomePaired(request.certificate());
                announcePaired();
            }
            case REQUESTED_BY_PEER -> LOG.debug("{}: repeated pair request ignored", device);
            case PAIRED -> {
                // The device no longer trusts us (it was reset or unpaired while away). As
                // kdeconnect-kde does, drop our side too and let the user decide afresh.
                LOG.info("{}: asks to pair although paired; treating it as a new request", device);
                state = State.NOT_PAIRED;
                forget();
                handleRequestOrAccept(packet, link);
            }
            case NOT_PAIRED -> {
                OptionalLong timestamp = packet.wholeNumber("timestamp");
                int version = link.protocolVersion();
                if (version >= 8) {
                    if (timestamp.isEmpty()) {
                        LOG.warn("{}: ignored protocol 8 pair request without a timestamp", device);
                        return;
                    }
                    long skew = Math.abs(System.currentTimeMillis() / 1000 - timestamp.getAsLong());
                    if (skew > MAX_CLOCK_SKEW_SECONDS) {
                        LOG.warn("{}: refused pair request: clocks differ by {} s", device, skew);
                        sendQuietly(pairPacket(false));
                        services.events().publish(new DeviceEvent.PairingFailed(device.id(),
                                "device clocks are out of sync by " + skew + " s"));
                        return;
                    }
                }
                request = new Request(link.peerCertificate(), version,
                        timestamp.isPresent() ? timestamp.getAsLong() : null);
                state = State.REQUESTED_BY_PEER;
                startTimeout();
                String key = verificationKey().orElse("");
                LOG.info("{}: asks to pair; {}", device, key.isEmpty() ? device.encryptionInfo() : "verification key " + key);
                services.events().publish(new DeviceEvent.PairRequested(device.id(), key));
            }
        }
    }

    private void handleRefusal() {
        switch (state) {
            case REQUESTED_BY_US -> {
                LOG.info("{}: rejected our pair request", device);
                end("rejected by the device");
            }
            case REQUESTED_BY_PEER -> {
                LOG.info("{}: withdrew its pair request", device);
                end("cancelled by the device");
            }
            case PAIRED -> {
                LOG.info("{}: unpaired by the device", device);
                state = State.NOT_PAIRED;
                forget();
            }
            case NOT_PAIRED -> LOG.debug("{}: pair:false while not paired", device);
        }
    }

    /**
     * Records the pairing with the certificate the request was made with. The device counts as
     * paired from here on; {@link #announcePaired()} tells the rest of the daemon.
     */
    private void becomePaired(X509Certificate certificate) {
        cancelTimeout();
        request = null;
        PairedDevice record = new PairedDevice(device.id(), device.name(), device.type(), Pem.encode(certificate),
                device.lastConnection());
        state = State.PAIRED;
        device.setPairedRecord(record);
        try {
            services.store().save(record);
            services.store().recordConnection(record, device.incomingCapabilities(), device.outgoingCapabilities());
        } catch (IOException e) {
            LOG.error("{}: paired, but the pairing could not be stored ({}); it lasts until gsbridge stops",
                    device, e.getMessage());
        } finally {
            services.trustWritten();
        }
        services.lifecycle().paired(device);
    }

    private void announcePaired() {
        LOG.info("{}: paired", device);
        services.events().publish(new DeviceEvent.Paired(device.id()));
        if (device.isReachable()) {
            services.router().connected(device);
        }
    }

    private void forget() {
        device.setPairedRecord(null);
        try {
            services.store().remove(device.id());
        } catch (IOException e) {
            LOG.error("{}: unpaired, but {} still lists it: {}", device, services.store().describe(), e.getMessage());
        } finally {
            services.trustWritten();
        }
        services.lifecycle().unpaired(device);
        services.router().disconnected(device);
        services.events().publish(new DeviceEvent.Unpaired(device.id()));
    }

    /** Ends a pending request without pairing. */
    private void end(String reason) {
        cancelTimeout();
        request = null;
        state = State.NOT_PAIRED;
        services.lifecycle().settled(device);
        services.events().publish(new DeviceEvent.PairingFailed(device.id(), reason));
    }

    private void startTimeout() {
        cancelTimeout();
        timeout = services.scheduler().schedule(this::expire, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private synchronized void expire() {
        State previous = state;
        if (!isPending()) {
            return;
        }
        timeout = null;
        if (previous == State.REQUESTED_BY_US) {
            sendQuietly(pairPacket(false));
        }
        LOG.info("{}: pairing timed out after {} s", device, TIMEOUT.toSeconds());
        end("timed out");
    }

    /**
     * A packet that needs pairing came while not paired: the device is told so with pair:false,
     * unless a pairing runs. Decided and sent under this lock, as {@link #request()} is: a refusal
     * that went out just after the user's request would cancel it on the peer. At most one a
     * second ({@link #REFUSAL_INTERVAL}): one tells the device, and a device that sends without
     * reading can never fill the link with refusals and so hold this lock in a blocked write.
     */
    synchronized void refuseUnpaired(String packetType) {
        if (device.isPaired()) {
            LOG.debug("{}: dropped {}: it arrived as the pairing completed", device, packetType);
        } else if (state != State.NOT_PAIRED) {
            LOG.warn("{}: refused {}: pairing is not finished", device, packetType);
        } else if (lastRefusal != null && System.nanoTime() - lastRefusal < REFUSAL_INTERVAL.toNanos()) {
            LOG.warn("{}: refused {} from an unpaired device (told it so less than a second ago)", device, packetType);
        } else {
            LOG.warn("{}: refused {} from an unpaired device; answered pair:false", device, packetType);
            lastRefusal = System.nanoTime();
            sendQuietly(pairPacket(false));
        }
    }

    /**
     * A new link for this device is about to replace the current one (or the none). A request made
     * with another certificate cannot complete on it: whoever this is, it is not what the user compared.
     */
    synchronized void linkReplaced(Link link) {
        if (isPending() && !Certificates.sameCertificate(link.peerCertificate(), request.certificate())) {
            LOG.warn("{}: a link with another certificate (SHA-256 {}) arrived; pending pair request cancelled",
                    device, Certificates.sha256Fingerprint(link.peerCertificate()));
            end("another device connected with the same id");
        }
    }

    private void sendQuietly(Packet packet) {
        try {
            device.sendUnchecked(packet);
        } catch (DeviceException e) {
            LOG.debug("{}: {}", device, e.getMessage());
        }
    }

    static Packet pairPacket(boolean pair) {
        Packet packet = new Packet(TYPE);
        packet.body().put("pair", pair);
        return packet;
    }
}
