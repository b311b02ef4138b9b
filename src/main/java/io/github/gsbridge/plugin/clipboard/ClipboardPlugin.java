package io.github.gsbridge.plugin.clipboard;

import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.plugin.BusInterface;
import io.github.gsbridge.plugin.BusProperty;
import io.github.gsbridge.plugin.BusSurface;
import io.github.gsbridge.plugin.DeviceRef;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginEvent;
import io.github.gsbridge.wire.Packet;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.DBusSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * {@code kdeconnect.clipboard} and {@code kdeconnect.clipboard.connect}: a device's clipboard
 * text, both ways. gsbridge has no clipboard of its own (a background daemon cannot read GNOME's
 * Wayland clipboard); "this computer's clipboard" is the last text a user put on a device through
 * gsbridge or took from one (a {@link ClipboardChanged} a script copies to the desktop).
 */
public final class ClipboardPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(ClipboardPlugin.class);
    public static final String TYPE = "kdeconnect.clipboard";
    /** Sent on connect with the time the content was copied (ms since the epoch, 0 = unknown). */
    public static final String CONNECT = "kdeconnect.clipboard.connect";
    /**
     * The longest text taken or sent, in UTF-8 bytes. Far above what people copy (a hundred pages),
     * far below what would weigh on the bus and on every script watching it. Android puts its
     * clipboard through a binder transaction, which fails beyond 1 MB for the whole process, so a
     * phone could not take much more either. Longer texts are refused, not cut: a cut text pasted
     * elsewhere silently loses its end.
     */
    public static final int MAX_BYTES = 256 * 1024;

    /**
     * The device's clipboard as gsbridge knows it now; {@code announced} when the device copied it and
     * it is newer than this computer's, so scripts should take it ({@link Clipboard1.ContentChanged}).
     */
    public record ClipboardChanged(String deviceId, String content, boolean announced) implements PluginEvent { }

    /** A text this computer had, and when (ms since the epoch). */
    private record Copied(String content, long time) { }

    private final EventBus events;
    private final SyncSwitches switches;
    private final LongSupplier clock;
    /** Each device's clipboard as last heard from it or put on it. */
    private final Map<String, String> known = new ConcurrentHashMap<>();
    /** The last text a user sent, which goes to devices that connect later. */
    private Copied sent;
    /** When this computer's clipboard last changed as gsbridge knows it: sent, or taken from a device. */
    private long localTime;

    public ClipboardPlugin(EventBus events, SyncSwitches switches, LongSupplier clock) {
        this.events = events;
        this.switches = switches;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "clipboard";
    }

    @Override
    public Set<String> incomingPacketTypes() {
        return Set.of(TYPE, CONNECT);
    }

    @Override
    public Set<String> outgoingPacketTypes() {
        return Set.of(TYPE, CONNECT);
    }

    @Override
    public void handle(Device device, Packet packet) {
        Optional<String> content = content(device, packet);
        if (content.isEmpty()) {
            return;
        }
        if (!receives(device, packet)) {
            return;
        }
        if (packet.isType(TYPE)) {
            take(device, content.get(), "copied");
            return;
        }
        long copiedAt = packet.wholeNumber("timestamp").orElse(0);
        if (copiedAt <= 0) {
            // kdeconnect-kde and Android do not apply a clipboard of unknown age either.
            LOG.info("{}: {}: clipboard of unknown age on connect; known, not announced", device, CONNECT);
            remember(device, content.get(), false);
            return;
        }
        synchronized (this) {
            if (copiedAt < localTime) {
                LOG.info("{}: {}: the device's clipboard (copied at {}) is older than this computer's ({}); "
                        + "known, not announced", device, CONNECT, copiedAt, localTime);
                remember(device, content.get(), false);
                return;
            }
        }
        take(device, content.get(), "had on connect");
    }

    /**
     * The packet's text, or empty (and why, in the log) when it has none gsbridge takes. Content
     * of another type than a string is refused by {@link Packet#text}, logged by the link's reader.
     */
    private static Optional<String> content(Device device, Packet packet) {
        Optional<String> text = packet.text("content");
        if (text.isEmpty()) {
            LOG.info("{}: {} without content; ignored", device, packet.type());
            return Optional.empty();
        }
        long bytes = utf8Length(text.get());
        if (bytes > MAX_BYTES) {
            LOG.warn("{}: {} ignored: its content is {} KiB, more than the {} KiB gsbridge takes from a clipboard",
                    device, packet.type(), bytes / 1024, MAX_BYTES / 1024);
            return Optional.empty();
        }
        return text;
    }

    private boolean receives(Device device, Packet packet) {
        try {
            if (switches.on(device.id(), SyncSwitches.RECEIVE)) {
                return true;
            }
            LOG.info("{}: {} ignored: receiving the clipboard from this device is off in {}", device, packet.type(),
                    switches.where("Clipboard Sync, From Device"));
        } catch (IOException e) {
            // The clipboard may hold a password: when in doubt it stays on the device.
            LOG.warn("{}: {} ignored: cannot read {} ({})", device, packet.type(),
                    SyncSwitches.RECEIVE.key(), e.getMessage());
        }
        return false;
    }

    private void take(Device device, String content, String how) {
        if (content.equals(known.get(device.id()))) {
            LOG.debug("{}: clipboard unchanged", device);
            return;
        }
        synchronized (this) {
            localTime = Math.max(localTime, clock.getAsLong());
        }
        LOG.info("{}: the device {} text ({} characters)", device, how, content.length());
        remember(device, content, true);
    }

    private void remember(Device device, String content, boolean announced) {
        String before = known.put(device.id(), content);
        if (announced || !content.equals(before)) {
            events.publish(new ClipboardChanged(device.id(), content, announced));
        }
    }

    /**
     * Puts {@code text} on the device's clipboard; false when the device holds it already (then
     * nothing is sent: a script bridging the desktop's clipboard both ways does not loop).
     */
    public boolean send(Device device, String text) throws DeviceException {
        long bytes = utf8Length(text);
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("the text is " + bytes / 1024 + " KiB, more than the "
                    + MAX_BYTES / 1024 + " KiB gsbridge puts on a clipboard");
        }
        try {
            if (!switches.on(device.id(), SyncSwitches.SEND)) {
                throw new DeviceException("sending the clipboard to it is off in "
                        + switches.where("Clipboard Sync, To Device"));
            }
        } catch (IOException e) {
            throw new DeviceException("cannot read the clipboard settings: " + e.getMessage(), e);
        }
        long now = clock.getAsLong();
        synchronized (this) {
            sent = new Copied(text, now);
            localTime = Math.max(localTime, now);
        }
        if (text.equals(known.get(device.id()))) {
            LOG.info("{}: the device holds that clipboard text already; not sent again", device);
            return false;
        }
        Packet packet = new Packet(TYPE);
        packet.body().put("content", text);
        device.send(packet);
        LOG.info("{}: put {} characters on the device's clipboard", device, text.length());
        known.put(device.id(), text);
        events.publish(new ClipboardChanged(device.id(), text, false));
        return true;
    }

    /** The device's clipboard as gsbridge knows it; empty when it does not. */
    public Optional<String> content(String deviceId) {
        return Optional.ofNullable(known.get(deviceId));
    }

    /** As kdeconnect-kde: the device learns this computer's clipboard, and its age decides whether it takes it. */
    @Override
    public void connected(Device device) {
        Copied last;
        synchronized (this) {
            last = sent;
        }
        if (last == null || !device.incomingCapabilities().contains(CONNECT)) {
            return;
        }
        try {
            if (!switches.on(device.id(), SyncSwitches.SEND)) {
                return;
            }
            Packet packet = new Packet(CONNECT);
            packet.body().put("content", last.content());
            packet.body().put("timestamp", last.time());
            device.send(packet);
        } catch (IOException | DeviceException e) {
            LOG.warn("{}: cannot send {}: {}", device, CONNECT, e.getMessage());
        }
    }

    /** A device that is no longer paired takes its clipboard with it. */
    @Override
    public void disconnected(Device device) {
        if (!device.isPaired()) {
            known.remove(device.id());
        }
    }

    @Override
    public BusSurface busSurface(DeviceRef device) {
        Clipboard1 methods = new Clipboard1() {
            @Override
            public void SetContent(String text) {
                device.run("put the text on the clipboard of", d -> send(d, text));
            }

            @Override
            public String getObjectPath() {
                return device.path();
            }
        };
        return new BusSurface(List.of(BusInterface.of(Clipboard1.class, methods,
                List.of(new BusProperty("Content", "s", () -> known.getOrDefault(device.id(), ""))),
                "io.github.gsbridge.Clipboard1.xml")), List.of());
    }

    @Override
    public Optional<DBusSignal> signal(PluginEvent event, String objectPath) throws DBusException {
        return event instanceof ClipboardChanged changed && changed.announced()
                ? Optional.of(new Clipboard1.ContentChanged(objectPath, changed.content())) : Optional.empty();
    }

    static long utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
