package io.github.gsbridge.plugin;

import io.github.gsbridge.device.Device;
import io.github.gsbridge.wire.Packet;

import java.util.Set;

/**
 * One capability. A plugin declares the packet types it takes and sends; the identity we announce
 * is the union of all plugins' types, and a plugin is only used with a device whose own
 * capabilities match. Adding a capability means adding a plugin to {@link Plugins#standard}.
 */
public interface Plugin {
    /** Short name for logs and settings, e.g. "ping". */
    String name();

    Set<String> incomingPacketTypes();

    Set<String> outgoingPacketTypes();

    /** A packet of one of {@link #incomingPacketTypes()} from a paired device; runs on the link's thread. */
    void handle(Device device, Packet packet);

    /** A paired device this plugin applies to is now connected. */
    default void connected(Device device) {
    }

    /** The device disconnected or was unpaired. */
    default void disconnected(Device device) {
    }
}
