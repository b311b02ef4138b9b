package io.github.gsbridge.plugin.ping;

import io.github.gsbridge.desktop.NotificationKind;
import io.github.gsbridge.desktop.ShownOnDesktop;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.plugin.BusInterface;
import io.github.gsbridge.plugin.BusSurface;
import io.github.gsbridge.plugin.DeviceRef;
import io.github.gsbridge.plugin.GtkAction;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginEvent;
import io.github.gsbridge.wire.Packet;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.DBusSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code kdeconnect.ping}, optionally with a message, both ways. */
public final class PingPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(PingPlugin.class);
    public static final String TYPE = "kdeconnect.ping";
    /** Pings from devices on the desktop. */
    public static final NotificationKind PINGS = new NotificationKind("ping", "pings", true);

    /** A device pinged us; {@code message} is empty for a plain ping. */
    public record PingReceived(String deviceId, String message) implements PluginEvent, ShownOnDesktop {
        @Override
        public NotificationKind kind() {
            return PINGS;
        }

        @Override
        public String title(String deviceName) {
            return "Ping from " + deviceName;
        }

        @Override
        public String body() {
            return message.isEmpty() ? "Ping!" : message;
        }
    }

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
        String text = packet.text("message").orElse("");
        LOG.info("{}: ping{}", device, text.isEmpty() ? "" : ": " + text);
        events.publish(new PingReceived(device.id(), text));
    }

    public void ping(Device device, Optional<String> message) throws DeviceException {
        Packet packet = new Packet(TYPE);
        message.filter(m -> !m.isEmpty()).ifPresent(m -> packet.body().put("message", m));
        device.send(packet);
    }

    @Override
    public BusSurface busSurface(DeviceRef device) {
        PingDevice1 methods = new PingDevice1() {
            @Override
            public void Ping(String message) {
                device.run("ping", d -> ping(d, Optional.of(message)));
            }

            @Override
            public String getObjectPath() {
                return device.path();
            }
        };
        return new BusSurface(List.of(BusInterface.partOfDevice1(PingDevice1.class, methods)),
                List.of(GtkAction.of("ping", "s", message -> methods.Ping((String) message))));
    }

    @Override
    public Optional<DBusSignal> signal(PluginEvent event, String objectPath) throws DBusException {
        return event instanceof PingReceived ping
                ? Optional.of(new PingDevice1.PingReceived(objectPath, ping.message())) : Optional.empty();
    }
}
