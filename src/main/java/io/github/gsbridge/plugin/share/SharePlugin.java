package io.github.gsbridge.plugin.share;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.Event;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.transfer.Transfer;
import io.github.gsbridge.transfer.Transfers;
import io.github.gsbridge.wire.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code kdeconnect.share.request}: files, URLs and text, both ways. */
public final class SharePlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(SharePlugin.class);
    public static final String REQUEST = "kdeconnect.share.request";
    public static final String UPDATE = "kdeconnect.share.request.update";

    /** A file of an incoming transfer was written under its final name. */
    public record FileReceived(String deviceId, long transferId, String path) implements Event { }

    public record UrlReceived(String deviceId, String url) implements Event { }

    public record TextReceived(String deviceId, String text) implements Event { }

    private final EventBus events;
    private final IncomingFiles incoming;
    private final OutgoingFiles outgoing;

    public SharePlugin(EventBus events, Transfers transfers, DownloadDirectories downloads) {
        this.events = events;
        this.incoming = new IncomingFiles(events, transfers, downloads,
                Executors.newSingleThreadScheduledExecutor(daemonThreads("share-timer")));
        this.outgoing = new OutgoingFiles(transfers);
    }

    @Override
    public String name() {
        return "share";
    }

    @Override
    public Set<String> incomingPacketTypes() {
        return Set.of(REQUEST, UPDATE);
    }

    @Override
    public Set<String> outgoingPacketTypes() {
        return Set.of(REQUEST, UPDATE);
    }

    @Override
    public void handle(Device device, Packet packet) {
        if (packet.isType(UPDATE)) {
            incoming.update(device, packet);
            return;
        }
        JsonNode body = packet.body();
        if (body.hasNonNull("filename") && !body.get("filename").isTextual()) {
            // Made-up names ("12345", "unnamed-file") would save files the device never named.
            LOG.warn("{}: refused {}: filename is not a string: {}", device, REQUEST, body.get("filename"));
        } else if (body.hasNonNull("filename")) {
            incoming.receive(device, packet);
        } else if (body.path("url").isTextual()) {
            String url = body.get("url").asText();
            // Never opened here: the desktop shows it (DesktopFace), and the user decides.
            LOG.info("{}: URL received", device);
            events.publish(new UrlReceived(device.id(), url));
        } else if (body.path("text").isTextual()) {
            String text = body.get("text").asText();
            LOG.info("{}: text received ({} characters)", device, text.length());
            events.publish(new TextReceived(device.id(), text));
        } else {
            List<String> keys = new ArrayList<>();
            body.fieldNames().forEachRemaining(keys::add);
            LOG.warn("{}: ignored {}: neither filename, url nor text among {}", device, REQUEST, keys);
        }
    }

    @Override
    public void disconnected(Device device) {
        incoming.disconnected(device);
    }

    /**
     * Sends files as one share. Every file is checked (exists, readable, regular) before anything
     * is sent; the returned transfer then runs in the background.
     */
    public Transfer shareFiles(Device device, List<Path> files, boolean open) throws DeviceException {
        return outgoing.share(device, files, open);
    }

    public void shareUrl(Device device, String url) throws DeviceException {
        Packet packet = new Packet(REQUEST);
        packet.body().put("url", url);
        device.send(packet);
    }

    public void shareText(Device device, String text) throws DeviceException {
        Packet packet = new Packet(REQUEST);
        packet.body().put("text", text);
        device.send(packet);
    }

    /** Checked before a share starts, so a refusal comes before any transfer exists. */
    static void requireAccepted(Device device) throws DeviceException {
        if (!device.isPaired()) {
            throw new DeviceException.NotPaired(device.id());
        }
        if (!device.isReachable()) {
            throw new DeviceException.NotReachable(device.id());
        }
        if (!device.incomingCapabilities().contains(REQUEST)) {
            throw new DeviceException(device.id() + " does not accept " + REQUEST);
        }
    }

    static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            // The daemon has no plugin shutdown; these threads must not keep the JVM alive.
            thread.setDaemon(true);
            return thread;
        };
    }
}
