package io.github.gsbridge.device;

import io.github.gsbridge.wire.Packet;

import java.util.Set;

/** What the device layer needs from the plugins: capabilities and somewhere to send packets. */
public interface PacketRouter {
    /** Packet types we accept, announced as incomingCapabilities. */
    Set<String> incomingTypes();

    /** Packet types we send, announced as outgoingCapabilities. */
    Set<String> outgoingTypes();

    /** A paired device is connected: plugins that apply to it may start talking. */
    void connected(Device device);

    /** A device's link went away or it was unpaired. */
    void disconnected(Device device);

    /** A packet from a paired device, other than identity and pair. */
    void route(Device device, Packet packet);
}
