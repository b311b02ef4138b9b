package io.github.gsbridge.plugin.share;

import io.github.gsbridge.desktop.DesktopNotifier;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.Event;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.transfer.Transfer;
import io.github.gsbridge.transfer.Transfers;
import io.github.gsbridge.wire.Packet;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code kdeconnect.share.request}: files, URLs and text, both ways. */
public final class SharePlugin implements Plugin {
    public static final String REQUEST = "kdeconnect.share.request";
    public static final String UPDATE = "kdeconnect.share.request.update";

    /** A file of an incoming transfer was written under its final name. */
    public record FileReceived(String deviceId, long transferId, String path) implements Event { }

    public record UrlReceived(String deviceId, String url) implements Event { }

    public record TextReceived(String deviceId, String text) implements Event { }

    private final EventBus events;
    private final Transfers transfers;
    private final DownloadDirectories downloads;
    private final DesktopNotifier notifier;

    public SharePlugin(EventBus events, Transfers transfers, DownloadDirectories downloads, DesktopNotifier notifier) {
        this.events = events;
        this.transfers = transfers;
        this.downloads = downloads;
        this.notifier = notifier;
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
        throw new UnsupportedOperationException("share: receiving is not implemented yet");
    }

    /**
     * Sends files as one share. Every file is checked (exists, readable, regular) before anything
     * is sent; the returned transfer then runs in the background.
     */
    public Transfer shareFiles(Device device, List<Path> files, boolean open) throws DeviceException {
        throw new UnsupportedOperationException("share: sending files is not implemented yet");
    }

    public void shareUrl(Device device, String url) throws DeviceException {
        throw new UnsupportedOperationException("share: sending URLs is not implemented yet");
    }

    public void shareText(Device device, String text) throws DeviceException {
        throw new UnsupportedOperationException("share: sending text is not implemented yet");
    }
}
