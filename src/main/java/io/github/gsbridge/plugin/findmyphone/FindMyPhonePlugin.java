package io.github.gsbridge.plugin.findmyphone;

import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.wire.Packet;

import java.util.Set;

/** {@code kdeconnect.findmyphone.request}: makes the device ring. */
public final class FindMyPhonePlugin implements Plugin {
    public static final String REQUEST = "kdeconnect.findmyphone.request";

    @Override
    public String name() {
        return "findmyphone";
    }

    @Override
    public Set<String> incomingPacketTypes() {
        return Set.of();
    }

    @Override
    public Set<String> outgoingPacketTypes() {
        return Set.of(REQUEST);
    }

    @Override
    public void handle(Device device, Packet packet) {
        // Nothing comes in: we do not ring ourselves.
    }

    public void ring(Device device) throws DeviceException {
        throw new UnsupportedOperationException("findmyphone: not implemented yet");
    }
}
