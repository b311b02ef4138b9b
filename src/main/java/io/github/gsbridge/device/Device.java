package io.github.gsbridge.device;

import io.github.gsbridge.credentials.PairedDevice;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.PayloadDownload;
import io.github.gsbridge.lan.PayloadUpload;
import io.github.gsbridge.tls.Certificates;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.Packet;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * A KDE Connect device we know: paired (from the store), or seen on the network. Holds its
 * current link, if any, and its pairing state.
 */
public final class Device {
    private final String id;
    private final DeviceServices services;
    private final Pairing pairing;
    private volatile Identity identity;
    private volatile Link link;
    private long linkNumber;
    private volatile PairedDevice pairedRecord;

    Device(String id, DeviceServices services) {
        this.id = id;
        this.services = services;
        this.pairing = new Pairing(this, services);
    }

    public String id() {
        return id;
    }

    public String name() {
        Identity current = identity;
        if (current != null) {
            return current.deviceName();
        }
        PairedDevice record = pairedRecord;
        return record != null ? record.name() : id;
    }

    public String type() {
        Identity current = identity;
        if (current != null) {
            return current.deviceType();
        }
        PairedDevice record = pairedRecord;
        return record != null ? record.type() : "unknown";
    }

    /** Protocol version from the last identity, 0 when never connected in this run. */
    public int protocolVersion() {
        Identity current = identity;
        return current == null ? 0 : current.protocolVersion();
    }

    public Set<String> incomingCapabilities() {
        Identity current = identity;
        return current == null ? Set.of() : current.incomingCapabilities();
    }

    public Set<String> outgoingCapabilities() {
        Identity current = identity;
        return current == null ? Set.of() : current.outgoingCapabilities();
    }

    public boolean isPaired() {
        return pairedRecord != null;
    }

    public boolean isReachable() {
        Link current = link;
        return current != null && current.isOpen();
    }

    public Pairing.State pairingState() {
        return pairing.state();
    }

    public Optional<String> lastConnection() {
        Link current = link;
        if (current != null) {
            return Optional.of(current.lastConnectionUri());
        }
        PairedDevice record = pairedRecord;
        return record == null ? Optional.empty() : record.lastConnection();
    }

    /**
     * SHA-256 fingerprints of both certificates, what GSConnect 54 and kdeconnect 22.12 show while
     * pairing. The device's is that of the pending pair request's certificate when there is one.
     */
    public String encryptionInfo() {
        X509Certificate theirs = pairing.requestCertificate();
        if (theirs == null) {
            theirs = peerCertificate();
        }
        String ours = Certificates.sha256Fingerprint(services.ourCertificate().certificate());
        return "our fingerprint " + ours + (theirs == null ? "" : "; device fingerprint "
                + Certificates.sha256Fingerprint(theirs));
    }

    /** The code to compare with the device's while a pair request is pending. */
    public Optional<String> verificationKey() {
        return pairing.verificationKey();
    }

    public void requestPair() throws DeviceException {
        pairing.request();
        // Requesting while the device asks accepts instead, which Paired reports.
        if (pairing.state() == Pairing.State.REQUESTED_BY_US) {
            services.events().publish(new DeviceEvent.PairRequestSent(id, verificationKey().orElse("")));
        }
    }

    public void acceptPair() throws DeviceException {
        pairing.accept();
    }

    public void rejectPair() throws DeviceException {
        pairing.reject();
    }

    public void unpair() throws DeviceException {
        pairing.unpair();
    }

    /** Sends a packet to a paired, connected device that accepts its type. */
    public void send(Packet packet) throws DeviceException {
        Link current = usableLink(packet.type());
        try {
            current.send(packet);
        } catch (IOException e) {
            throw new DeviceException(id + ": sending " + packet.type() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Sends a packet whose payload the device fetches from a listener we open; returns when
     * every byte was taken (or throws). Blocks: call it off the link's reader thread.
     */
    public void sendWithPayload(Packet packet, InputStream source, long size, LongConsumer progress)
            throws DeviceException {
        try (PayloadUpload upload = offerPayload(packet, size)) {
            upload.transfer(source, size, progress, PayloadUpload.ACCEPT_TIMEOUT);
        } catch (IOException e) {
            throw payloadFailed(packet, e);
        }
    }

    /**
     * The first half of {@link #sendWithPayload}: opens a payload port and sends the packet that
     * announces it. The caller transfers the bytes, and may close the upload from another thread
     * to cancel it, whether the device has connected yet or not.
     */
    public PayloadUpload offerPayload(Packet packet, long size) throws DeviceException {
        Link current = usableLink(packet.type());
        PayloadUpload upload = null;
        try {
            upload = PayloadUpload.open(current, services.tls(), services.payloadPorts());
            packet.withPayload(size, upload.port());
            current.send(packet);
            return upload;
        } catch (IOException e) {
            if (upload != null) {
                upload.close();
            }
            throw payloadFailed(packet, e);
        }
    }

    private DeviceException payloadFailed(Packet packet, IOException e) {
        return new DeviceException(id + ": " + packet.type() + " payload failed: " + e.getMessage(), e);
    }

    /** Opens the payload announced by a packet from this device: exactly {@code payloadSize} bytes. */
    public InputStream openPayload(Packet packet) throws DeviceException {
        Link current = requireLink();
        try {
            return PayloadDownload.open(current, services.tls(), services.peerPayloadPorts(), packet);
        } catch (IOException e) {
            throw new DeviceException(e.getMessage(), e);
        }
    }

    /** Sends pairing packets, which are allowed before the device is paired; returns the link it went over. */
    Link sendUnchecked(Packet packet) throws DeviceException {
        Link current = requireLink();
        try {
            current.send(packet);
            return current;
        } catch (IOException e) {
            throw new DeviceException(id + ": sending " + packet.type() + " failed: " + e.getMessage(), e);
        }
    }

    /** The open link, or NotReachable. */
    Link requireLink() throws DeviceException.NotReachable {
        Link current = link;
        if (current == null || !current.isOpen()) {
            throw new DeviceException.NotReachable(id);
        }
        return current;
    }

    /**
     * Checks that a packet of {@code packetType} can go to the device now: paired, connected, and
     * announced as taken. Plugins check before they start work (a transfer, say) that needs it.
     */
    public void requireAccepts(String packetType) throws DeviceException {
        usableLink(packetType);
    }

    private Link usableLink(String packetType) throws DeviceException {
        if (!isPaired()) {
            throw new DeviceException.NotPaired(id);
        }
        Link current = requireLink();
        // kdeconnect-kde drops packets of types it did not announce; say so instead of sending into the void.
        if (!current.identity().incomingCapabilities().contains(packetType)) {
            throw new DeviceException(id + " does not accept " + packetType);
        }
        return current;
    }

    X509Certificate peerCertificate() {
        Link current = link;
        return current == null ? null : current.peerCertificate();
    }

    Link link() {
        return link;
    }

    Pairing pairing() {
        return pairing;
    }

    PairedDevice pairedRecord() {
        return pairedRecord;
    }

    void setPairedRecord(PairedDevice record) {
        this.pairedRecord = record;
        Link current = link;
        if (current != null) {
            current.setTrusted(record != null);
        }
    }

    /** Makes {@code newLink} current and returns the one it replaces (to be closed by the caller). */
    synchronized Link attach(Link newLink) {
        Link previous = link;
        link = newLink;
        linkNumber++;
        identity = newLink.identity();
        newLink.setTrusted(isPaired());
        return previous;
    }

    /**
     * Which of the device's links is the current one: the number grows each time a link takes over,
     * also from one that was not yet seen to close. A plugin can tell by it whether what it sent
     * went over the link the device is on now.
     */
    public synchronized long linkNumber() {
        return linkNumber;
    }

    /** Forgets {@code closed} if it is still current; false when a newer link already replaced it. */
    synchronized boolean detach(Link closed) {
        if (link != closed) {
            return false;
        }
        link = null;
        return true;
    }

    @Override
    public String toString() {
        return id + " (" + name() + ")";
    }
}
