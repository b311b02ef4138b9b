package io.github.gsbridge.plugin.findmyphone;

import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.plugin.BusInterface;
import io.github.gsbridge.plugin.BusSurface;
import io.github.gsbridge.plugin.DeviceRef;
import io.github.gsbridge.plugin.GtkAction;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.wire.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/** {@code kdeconnect.findmyphone.request}: makes the device ring. */
public final class FindMyPhonePlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(FindMyPhonePlugin.class);
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

    /** Asks the device to ring; Android rings until the user stops it there, kdeconnect-kde plays a sound once. */
    public void ring(Device device) throws DeviceException {
        device.send(new Packet(REQUEST));
        LOG.info("{}: asked to ring", device);
    }

    @Override
    public BusSurface busSurface(DeviceRef device) {
        FindMyPhoneDevice1 methods = new FindMyPhoneDevice1() {
            @Override
            public void Ring() {
                device.run("ring", FindMyPhonePlugin.this::ring);
            }

            @Override
            public String getObjectPath() {
                return device.path();
            }
        };
        return new BusSurface(List.of(BusInterface.partOfDevice1(FindMyPhoneDevice1.class, methods)),
                List.of(GtkAction.of("ring", "", none -> methods.Ring())));
    }
}
