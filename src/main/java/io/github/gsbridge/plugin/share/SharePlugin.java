package io.github.gsbridge.plugin.share;

import io.github.gsbridge.desktop.NotificationKind;
import io.github.gsbridge.desktop.ShownOnDesktop;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.threads.Threads;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.plugin.BusInterface;
import io.github.gsbridge.plugin.BusSurface;
import io.github.gsbridge.plugin.DeviceRef;
import io.github.gsbridge.plugin.GtkAction;
import io.github.gsbridge.plugin.LocalPaths;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginEvent;
import io.github.gsbridge.transfer.Transfer;
import io.github.gsbridge.transfer.Transfer1;
import io.github.gsbridge.transfer.Transfers;
import io.github.gsbridge.wire.Packet;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.DBusSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;

/** {@code kdeconnect.share.request}: files, URLs and text, both ways. */
public final class SharePlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(SharePlugin.class);
    public static final String REQUEST = "kdeconnect.share.request";
    public static final String UPDATE = "kdeconnect.share.request.update";

    /** A file of an incoming transfer was written under its final name. */
    public record FileReceived(String deviceId, long transferId, String path) implements PluginEvent { }

    /** A link from the device: never opened here; the desktop notification offers to. */
    public record UrlReceived(String deviceId, String url) implements PluginEvent, ShownOnDesktop {
        @Override
        public NotificationKind kind() {
            return NotificationKind.RECEIVED;
        }

        @Override
        public String title(String deviceName) {
            return "Link from " + deviceName;
        }

        @Override
        public String body() {
            return url;
        }

        @Override
        public Optional<String> link() {
            return Optional.of(url);
        }
    }

    public record TextReceived(String deviceId, String text) implements PluginEvent, ShownOnDesktop {
        @Override
        public NotificationKind kind() {
            return NotificationKind.RECEIVED;
        }

        @Override
        public String title(String deviceName) {
            return "Text from " + deviceName;
        }

        @Override
        public String body() {
            return text;
        }
    }

    private final EventBus events;
    private final IncomingFiles incoming;
    private final OutgoingFiles outgoing;

    public SharePlugin(EventBus events, Transfers transfers, DownloadDirectories downloads) {
        this.events = events;
        this.incoming = new IncomingFiles(events, transfers, downloads,
                Executors.newSingleThreadScheduledExecutor(Threads.numbered("share-timer")));
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
        // Made-up names ("12345", "unnamed-file") would save files the device never named: a
        // filename of another type is refused (PacketFieldException), like any mistyped field.
        if (packet.text("filename").isPresent()) {
            incoming.receive(device, packet);
        } else if (packet.text("url").isPresent()) {
            String url = packet.text("url").get();
            LOG.info("{}: URL received", device);
            events.publish(new UrlReceived(device.id(), url));
        } else if (packet.text("text").isPresent()) {
            String text = packet.text("text").get();
            LOG.info("{}: text received ({} characters)", device, text.length());
            events.publish(new TextReceived(device.id(), text));
        } else {
            List<String> keys = new ArrayList<>();
            packet.body().fieldNames().forEachRemaining(keys::add);
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

    @Override
    public void close() {
        incoming.close();
        outgoing.close();
    }

    @Override
    public BusSurface busSurface(DeviceRef device) {
        ShareDevice1 methods = new ShareDevice1() {
            @Override
            public DBusPath ShareFiles(List<String> pathsOrFileUris, boolean open) {
                return device.call("send files to", d -> new DBusPath(
                        device.exportTransfer(shareFiles(d, files(pathsOrFileUris), open))));
            }

            @Override
            public void ShareUrl(String url) {
                device.run("send the link to", d -> shareUrl(d, url));
            }

            @Override
            public void ShareText(String text) {
                device.run("send the text to", d -> shareText(d, text));
            }

            @Override
            public String getObjectPath() {
                return device.path();
            }
        };
        return new BusSurface(List.of(BusInterface.partOfDevice1(ShareDevice1.class, methods)), List.of(
                new GtkAction("shareFile", "(sb)", new Type[] {ShareDevice1.FileAndOpen.class}, value -> {
                    Object[] fields = (Object[]) value;
                    methods.ShareFiles(List.of((String) fields[0]), (Boolean) fields[1]);
                }),
                GtkAction.of("shareUri", "s", url -> methods.ShareUrl((String) url)),
                GtkAction.of("shareText", "s", text -> methods.ShareText((String) text))));
    }

    @Override
    public Optional<DBusSignal> signal(PluginEvent event, String objectPath) throws DBusException {
        if (event instanceof FileReceived file) {
            return Optional.of(new ShareDevice1.FileReceived(objectPath,
                    new DBusPath(Transfer1.path(file.transferId())), file.path()));
        }
        if (event instanceof UrlReceived url) {
            return Optional.of(new ShareDevice1.UrlReceived(objectPath, url.url()));
        }
        if (event instanceof TextReceived text) {
            return Optional.of(new ShareDevice1.TextReceived(objectPath, text.text()));
        }
        return Optional.empty();
    }

    /**
     * Local files a D-Bus caller named, each checked to be a readable regular file; what is wrong is
     * an IllegalArgumentException naming it, reported as an invalid argument.
     */
    static List<Path> files(List<String> pathsOrUris) {
        if (pathsOrUris.isEmpty()) {
            throw new IllegalArgumentException("no files given");
        }
        List<Path> files = new ArrayList<>();
        for (String entry : pathsOrUris) {
            Path file = LocalPaths.of(entry);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(Files.isDirectory(file) ? entry + " is a directory, not a file"
                        : "no such file: " + entry);
            }
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read " + entry + ": permission denied");
            }
            files.add(file);
        }
        return files;
    }
}
