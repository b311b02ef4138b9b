package io.github.gsbridge.device;

import io.github.gsbridge.credentials.PairingStore;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.TlsSockets;

import java.util.concurrent.ScheduledExecutorService;

/** What every device shares: our certificate, TLS, the pairing store, plugins, events and timers. */
record DeviceServices(LocalCertificate ourCertificate, TlsSockets tls, PairingStore store, PacketRouter router,
                      EventBus events, ScheduledExecutorService scheduler, PortRange payloadPorts,
                      PortRange peerPayloadPorts) {
}
