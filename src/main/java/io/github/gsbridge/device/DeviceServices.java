package io.github.gsbridge.device;

import io.github.gsbridge.credentials.PairingStore;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.TlsSockets;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every device shares: plugins, events, timers, port ranges, and the credentials of the
 * current activation (swapped when the daemon takes the ports again after a hand-over, since
 * GSConnect's files may have changed meanwhile).
 */
final class DeviceServices {
    /** Our certificate, TLS set up from it, and where pairings are kept: replaced together. */
    record Credentials(LocalCertificate ourCertificate, TlsSockets tls, PairingStore store) { }

    /** What the device manager does when a device's pairing changes; called with the pairing's lock held. */
    interface PairingListener {
        void paired(Device device);

        void unpaired(Device device);

        /** A pending request ended without pairing. */
        void settled(Device device);
    }

    private final PacketRouter router;
    private final PairingListener lifecycle;
    private final EventBus events;
    private final ScheduledExecutorService scheduler;
    private final PortRange payloadPorts;
    private final PortRange peerPayloadPorts;
    private volatile Credentials credentials;
    /**
     * How many of our own pairing writes to the store have ended. A read of the store that began
     * before one of them ended may show the device as it was before: such a read must not be applied.
     */
    private final AtomicLong trustWrites = new AtomicLong();

    DeviceServices(Credentials credentials, PacketRouter router, PairingListener lifecycle, EventBus events,
                   ScheduledExecutorService scheduler, PortRange payloadPorts, PortRange peerPayloadPorts) {
        this.credentials = credentials;
        this.router = router;
        this.lifecycle = lifecycle;
        this.events = events;
        this.scheduler = scheduler;
        this.payloadPorts = payloadPorts;
        this.peerPayloadPorts = peerPayloadPorts;
    }

    void replaceCredentials(Credentials replacement) {
        credentials = replacement;
    }

    LocalCertificate ourCertificate() {
        return credentials.ourCertificate();
    }

    TlsSockets tls() {
        return credentials.tls();
    }

    PairingStore store() {
        return credentials.store();
    }

    long trustWrites() {
        return trustWrites.get();
    }

    /** Called with the pairing's lock held, after a pairing or unpairing was written (or failed to be). */
    void trustWritten() {
        trustWrites.incrementAndGet();
    }

    PacketRouter router() {
        return router;
    }

    PairingListener lifecycle() {
        return lifecycle;
    }

    EventBus events() {
        return events;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    PortRange payloadPorts() {
        return payloadPorts;
    }

    PortRange peerPayloadPorts() {
        return peerPayloadPorts;
    }
}
