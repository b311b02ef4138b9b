package io.github.gsbridge.plugin.ping;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.Event;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.wire.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;

/** {@code kdeconnect.ping}, optionally with a message, both ways. */
public final class PingPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(PingPlugin.class);
    public static final String TYPE = "kdeconnect.ping";

    /** A device pinged us; {@code message} is empty for a plain ping. */
    public record PingReceived(String deviceId, String message) implements Event { }

    private final EventBus events;

    public PingPlugin(EventBus events) {
        this.events = events;
    }

    @Override
    public String name() {
        return "ping";
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
        JsonNode message = packet.body().get("message");
        String text = message != null && message.isTextual() ? message.asText() : "";
        LOG.info("{}: ping{}", device, text.isEmpty() ? "" : ": " + text);
        events.publish(new PingReceived(device.id(), text));
    }

    public void ping(Device device, Optional<String> message) throws DeviceException {
        Packet packet = new Packet(TYPE);
        message.filter(m -> !m.isEmpty()).ifPresent(m -> packet.body().put("message", m));
        device.send(packet);
    }
}
