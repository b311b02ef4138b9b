package io.github.gsbridge.device;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.credentials.PairedDevice;
import io.github.gsbridge.tls.Pem;
import io.github.gsbridge.wire.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code kdeconnect.pair} exchange with one device: request, accept, reject, unpair, with
 * the 30-second timeouts every implementation uses.
 */
public final class Pairing {
    private static final Logger LOG = LoggerFactory.getLogger(Pairing.class);
    public static final String TYPE = "kdeconnect.pair";
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** kdeconnect-kde, Android and Valent refuse v8 requests whose timestamp is further off than this. */
    private static final long MAX_CLOCK_SKEW_SECONDS = 1800;

    public enum State { NOT_PAIRED, REQUESTED_BY_US, REQUESTED_BY_PEER, PAIRED }

    private final Device device;
    private final DeviceServices services;
    private State state = State.NOT_PAIRED;
    private Long requestTimestamp;
    private ScheduledFuture<?> timeout;

    Pairing(Device device, DeviceServices services) {
        this.device = device;
        this.services = services;
    }

    public synchronized State state() {
        return state;
    }

    /** The current request's verification key, or empty when no request is pending. */
    public synchronized Optional<String> verificationKey() {
        X509Certificate theirs = device.peerCertificate();
        if (theirs == null || (state != State.REQUESTED_BY_US && state != State.REQUESTED_BY_PEER)) {
            return Optional.empty();
        }
        Long timestamp = device.protocolVersion() >= 8 ? requestTimestamp : null;
        return Optional.of(VerificationKey.of(services.ourCertificate().certificate().getPublicKey(),
                theirs.getPublicKey(), timestamp));
    }

    /** The store lists the device as paired. */
    synchronized void restorePaired() {
        cancelTimeout();
        state = State.PAIRED;
    }

    /** The store no longer lists the device (unpaired elsewhere). */
    synchronized void forgotten() {
        cancelTimeout();
        state = State.NOT_PAIRED;
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
                device.sendUnchecked(packet);
                requestTimestamp = now;
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
        device.sendUnchecked(pairPacket(true));
        becomePaired();
    }

    synchronized void reject() throws DeviceException {
        if (state != State.REQUESTED_BY_PEER) {
            throw new DeviceException(device.id() + " has not asked to pair");
        }
        cancelTimeout();
        state = State.NOT_PAIRED;
        device.sendUnchecked(pairPacket(false));
        services.events().publish(new DeviceEvent.PairingFailed(device.id(), "rejected by the user"));
    }

    synchronized void unpair() throws DeviceException {
        if (state == State.NOT_PAIRED || state == State.REQUESTED_BY_PEER) {
            throw new DeviceException.NotPaired(device.id());
        }
        boolean wasPaired = state == State.PAIRED;
        cancelTimeout();
        state = State.NOT_PAIRED;
        try {
            device.sendUnchecked(pairPacket(false));
        } catch (DeviceException.NotReachable e) {
            LOG.debug("{}: unpaired while not connected; it learns at the next connection", device);
        }
        if (wasPaired) {
            forget();
        } else {
            services.events().publish(new DeviceEvent.PairingFailed(device.id(), "cancelled"));
        }
    }

    /** A {@code kdeconnect.pair} packet arrived on the device's link. */
    synchronized void handle(Packet packet) {
        JsonNode pair = packet.body().get("pair");
        if (pair == null || !pair.isBoolean()) {
            LOG.warn("{}: ignored {} without a boolean \"pair\"", device, TYPE);
            return;
        }
        if (pair.asBoolean()) {
            handleRequestOrAccept(packet);
        } else {
            handleRefusal();
        }
    }

    private void handleRequestOrAccept(Packet packet) {
        switch (state) {
            case REQUESTED_BY_US -> {
                LOG.info("{}: accepted our pair request", device);
                becomePaired();
            }
            case REQUESTED_BY_PEER -> LOG.debug("{}: repeated pair request ignored", device);
            case PAIRED -> {
                // The device no longer trusts us (it was reset or unpaired while away). As
                // kdeconnect-kde does, drop our side too and let the user decide afresh.
                LOG.info("{}: asks to pair although paired; treating it as a new request", device);
                state = State.NOT_PAIRED;
                forget();
                handleRequestOrAccept(packet);
            }
            case NOT_PAIRED -> {
                JsonNode timestamp = packet.body().get("timestamp");
                if (device.protocolVersion() >= 8) {
                    if (timestamp == null || !timestamp.canConvertToLong()) {
                        LOG.warn("{}: ignored protocol 8 pair request without timestamp", device);
                        return;
                    }
                    long skew = Math.abs(System.currentTimeMillis() / 1000 - timestamp.asLong());
                    if (skew > MAX_CLOCK_SKEW_SECONDS) {
                        LOG.warn("{}: refused pair request: clocks differ by {} s", device, skew);
                        sendQuietly(pairPacket(false));
                        services.events().publish(new DeviceEvent.PairingFailed(device.id(),
                                "device clocks are out of sync by " + skew + " s"));
                        return;
                    }
                }
                requestTimestamp = timestamp != null && timestamp.canConvertToLong() ? timestamp.asLong() : null;
                state = State.REQUESTED_BY_PEER;
                startTimeout();
                String key = verificationKey().orElse("");
                LOG.info("{}: asks to pair; verification key {}", device, key);
                services.events().publish(new DeviceEvent.PairRequested(device.id(), key));
            }
        }
    }

    private void handleRefusal() {
        State previous = state;
        cancelTimeout();
        state = State.NOT_PAIRED;
        switch (previous) {
            case REQUESTED_BY_US -> {
                LOG.info("{}: rejected our pair request", device);
                services.events().publish(new DeviceEvent.PairingFailed(device.id(), "rejected by the device"));
            }
            case REQUESTED_BY_PEER -> {
                LOG.info("{}: withdrew its pair request", device);
                services.events().publish(new DeviceEvent.PairingFailed(device.id(), "cancelled by the device"));
            }
            case PAIRED -> {
                LOG.info("{}: unpaired by the device", device);
                forget();
            }
            case NOT_PAIRED -> LOG.debug("{}: pair:false while not paired", device);
        }
    }

    private void becomePaired() {
        cancelTimeout();
        X509Certificate certificate = device.peerCertificate();
        if (certificate == null) {
            LOG.warn("{}: link lost while pairing", device);
            state = State.NOT_PAIRED;
            return;
        }
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
        }
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
        }
        services.router().disconnected(device);
        services.events().publish(new DeviceEvent.Unpaired(device.id()));
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
        if (previous != State.REQUESTED_BY_US && previous != State.REQUESTED_BY_PEER) {
            return;
        }
        state = State.NOT_PAIRED;
        timeout = null;
        if (previous == State.REQUESTED_BY_US) {
            sendQuietly(pairPacket(false));
        }
        LOG.info("{}: pairing timed out after {} s", device, TIMEOUT.toSeconds());
        services.events().publish(new DeviceEvent.PairingFailed(device.id(), "timed out"));
    }

    /** The link dropped: a pending request cannot complete. */
    synchronized void linkLost() {
        if (state == State.REQUESTED_BY_US || state == State.REQUESTED_BY_PEER) {
            cancelTimeout();
            state = State.NOT_PAIRED;
            services.events().publish(new DeviceEvent.PairingFailed(device.id(), "disconnected"));
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
