package io.github.gsbridge.daemon;

import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.Event;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.wire.Packet;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;

/** Test-only capability: receives a payload and reports its SHA-256, so payload transfer is tested without a share plugin. */
final class PayloadProbePlugin implements Plugin {
    static final String TYPE = "gsbridge.test.payload";

    record Digest(String deviceId, String sha256, long bytes, String error) implements Event { }

    private final EventBus events;

    PayloadProbePlugin(EventBus events) {
        this.events = events;
    }

    @Override
    public String name() {
        return "payload-probe";
    }

    @Override
    public Set<String> incomingPacketTypes() {
        return Set.of(TYPE);
    }

    @Override
    public Set<String> outgoingPacketTypes() {
        return Set.of(TYPE);
    }

    @Override
    public void handle(Device device, Packet packet) {
        try (InputStream in = device.openPayload(packet)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                total += n;
            }
            events.publish(new Digest(device.id(), HexFormat.of().formatHex(sha.digest()), total, null));
        } catch (IOException | DeviceException | java.security.NoSuchAlgorithmException e) {
            events.publish(new Digest(device.id(), null, -1, e.getMessage()));
        }
    }
}
