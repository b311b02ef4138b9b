package io.github.gsbridge.daemon;

import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.Event;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.wire.Packet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;

/** Test-only capability: receives a payload and reports its SHA-256, so payload transfer is tested without a share plugin. */
record PayloadProbePlugin(EventBus events) implements Plugin {
    static final String TYPE = "gsbridge.test.payload";

    record Digest(String deviceId, String sha256, long bytes, String error) implements Event { }

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
            long total = in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha));
            events.publish(new Digest(device.id(), HexFormat.of().formatHex(sha.digest()), total, null));
        } catch (IOException | DeviceException | GeneralSecurityException e) {
            events.publish(new Digest(device.id(), null, -1, e.getMessage()));
        }
    }
}
