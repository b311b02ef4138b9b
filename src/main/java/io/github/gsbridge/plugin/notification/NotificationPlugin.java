package io.github.gsbridge.plugin.notification;

import io.github.gsbridge.desktop.DesktopNotifier;
import io.github.gsbridge.threads.Threads;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.Event;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.lan.PayloadUpload;
import io.github.gsbridge.plugin.BusInterface;
import io.github.gsbridge.plugin.BusSurface;
import io.github.gsbridge.plugin.DeviceRef;
import io.github.gsbridge.plugin.GtkAction;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginEvent;
import io.github.gsbridge.plugin.notification.NotificationPackets.Cancelled;
import io.github.gsbridge.plugin.notification.NotificationPackets.Posted;
import io.github.gsbridge.plugin.notification.NotificationPackets.Refused;
import io.github.gsbridge.wire.Packet;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.github.gsbridge.plugin.notification.NotificationPackets.ACTION;
import static io.github.gsbridge.plugin.notification.NotificationPackets.NOTIFICATION;
import static io.github.gsbridge.plugin.notification.NotificationPackets.REPLY;
import static io.github.gsbridge.plugin.notification.NotificationPackets.REQUEST;

/**
 * Notifications both ways: ours to the device ({@code kdeconnect.notification}, withdraw with
 * {@code isCancel}), and the device's to us (kept per device, forwarded to the desktop).
 */
public final class NotificationPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationPlugin.class);

    /** Icons both ways; notification icons are small, anything larger is a mistake or an attack. */
    public static final int MAX_ICON_BYTES = 1024 * 1024;
    /** The device's notifications kept per device; past it the oldest is forgotten. */
    public static final int MAX_RECEIVED_PER_DEVICE = 500;
    /**
     * What the kept notifications of one device may hold together, in UTF-16 units (about 2 MiB
     * of heap at most); past it the oldest are forgotten, as past the count.
     */
    public static final long MAX_RECEIVED_CHARS_PER_DEVICE = 1024 * 1024;
    /** Our notifications kept per device for re-sending; each may hold an icon in memory. */
    public static final int MAX_SENT_PER_DEVICE = 100;
    /**
     * How long one icon may take, either way, from offer to last byte. Icons are small: one that
     * trickles in longer is given up, and its notification is shown without it.
     */
    public static final Duration ICON_DEADLINE = Duration.ofSeconds(15);
    /** Icon transfers waiting per device; past it a notification goes without its icon. */
    static final int MAX_QUEUED_ICONS_PER_DEVICE = 16;
    /** Icons received, by device and hash: Android sends an icon's bytes only when it changed. */
    private static final int MAX_CACHED_ICONS = 64;
    /** Desktop action keys of the phone's buttons; the prefix keeps a button called "default" from meaning a click. */
    private static final String ACTION_KEY = "phone-action:";
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    public record NotificationPosted(String deviceId, DeviceNotification notification) implements PluginEvent { }

    public record NotificationRemoved(String deviceId, String id) implements PluginEvent { }

    /** The user dismissed one of our notifications on the device. */
    public record OwnNotificationDismissed(String deviceId, String id) implements Event { }

    /** One of ours, kept to answer the device's request for all of them. */
    private record Sent(String id, OutgoingNotification notification, Optional<byte[]> icon, long time) { }

    /** A device's notification id, or icon hash, made unique across devices. */
    private record Key(String deviceId, String id) { }

    private final EventBus events;
    private final DesktopNotifier desktop;
    private final boolean forwardToDesktop;
    /** Guarded by {@code this}; insertion order is age order, for dropping the oldest. */
    private final Map<String, LinkedHashMap<String, Posted>> received = new HashMap<>();
    private final Map<String, LinkedHashMap<String, Sent>> sent = new HashMap<>();
    private final Map<Key, byte[]> icons = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, byte[]> eldest) {
            return size() > MAX_CACHED_ICONS;
        }
    };
    /** Server ids of what we show on the desktop, by device id and notification id; only on {@link #desktopCalls}. */
    private final Map<Key, Integer> desktopIds = new HashMap<>();
    /** D-Bus calls may wait on a slow server: never on a link thread, and in order. */
    private final ExecutorService desktopCalls = Executors.newSingleThreadExecutor(Threads.daemon("notification-desktop"));
    /**
     * Icon transfers block until the device connects or gives up, so each device has its own
     * thread for them: one device's slow icons hold up only its own notifications.
     */
    private final Map<String, ThreadPoolExecutor> iconTransfers = new ConcurrentHashMap<>();
    /**
     * Ours the device got, by device and id, with the number of the link they went over
     * ({@link Device#linkNumber}). kdeconnectd and Android ask for all of ours as they connect;
     * those sent on the current link already reached the device, and a second copy makes
     * kdeconnectd replace its entry (a dismiss on the first then misses) or, while it fetches the
     * first one's icon, break off the second icon's connection and show neither. Those sent on an
     * earlier link go again, even when that link was replaced before it was seen to close.
     */
    private final Map<Key, Long> sentOnLink = new ConcurrentHashMap<>();
    /** Ends icon transfers at {@link #ICON_DEADLINE}. */
    private final ScheduledExecutorService iconDeadlines = Executors.newSingleThreadScheduledExecutor(
            Threads.daemon("notification-icon-deadline"));

    public NotificationPlugin(EventBus events, DesktopNotifier desktop, boolean forwardToDesktop) {
        this.events = events;
        this.desktop = desktop;
        this.forwardToDesktop = forwardToDesktop;
    }

    @Override
    public String name() {
        return "notification";
    }

    @Override
    public Set<String> incomingPacketTypes() {
        return Set.of(NOTIFICATION, REQUEST);
    }

    @Override
    public Set<String> outgoingPacketTypes() {
        return Set.of(NOTIFICATION, REQUEST, ACTION, REPLY);
    }

    @Override
    public void connected(Device device) {
        if (!device.incomingCapabilities().contains(REQUEST)) {
            return;
        }
        try {
            device.send(NotificationPackets.requestAll());
        } catch (DeviceException e) {
            LOG.warn("{}: {} (all notifications) not sent: {}", device, REQUEST, e.getMessage());
        }
    }

    /** What the device showed is no longer known once it is gone; on return it is asked again. */
    @Override
    public void disconnected(Device device) {
        // Forgotten when the link goes, not when the next one comes: a notification may go out on a
        // new link before the plugins hear of it.
        sentOnLink.keySet().removeIf(key -> key.deviceId().equals(device.id()));
        List<Posted> gone;
        synchronized (this) {
            LinkedHashMap<String, Posted> map = received.remove(device.id());
            gone = map == null ? List.of() : List.copyOf(map.values());
        }
        for (Posted posted : gone) {
            removed(device, posted.notification().id());
        }
    }

    @Override
    public void handle(Device device, Packet packet) {
        if (packet.isType(NOTIFICATION)) {
            receiveNotification(device, packet);
        } else if (packet.isType(REQUEST)) {
            receiveRequest(device, packet);
        }
    }

    private void receiveNotification(Device device, Packet packet) {
        NotificationPackets.Received parsed;
        try {
            parsed = NotificationPackets.parse(packet);
        } catch (Refused e) {
            LOG.warn("{}: refused {}: {}", device, NOTIFICATION, e.getMessage());
            return;
        }
        if (parsed instanceof Cancelled cancelled) {
            boolean known;
            synchronized (this) {
                known = receivedOf(device.id()).remove(cancelled.id()) != null;
            }
            if (known) {
                removed(device, cancelled.id());
            } else {
                LOG.debug("{}: {} cancels unknown notification {}", device, NOTIFICATION, cancelled.id());
            }
            return;
        }
        Posted posted = (Posted) parsed;
        String id = posted.notification().id();
        List<Posted> evicted = new ArrayList<>();
        synchronized (this) {
            LinkedHashMap<String, Posted> map = receivedOf(device.id());
            // An update counts as new: the oldest to drop is the one the device last touched longest ago.
            map.remove(id);
            long total = NotificationPackets.size(posted.notification());
            for (Posted kept : map.values()) {
                total += NotificationPackets.size(kept.notification());
            }
            Iterator<Posted> oldest = map.values().iterator();
            while (oldest.hasNext() && (map.size() >= MAX_RECEIVED_PER_DEVICE || total > MAX_RECEIVED_CHARS_PER_DEVICE)) {
                Posted dropped = oldest.next();
                total -= NotificationPackets.size(dropped.notification());
                oldest.remove();
                evicted.add(dropped);
            }
            map.put(id, posted);
        }
        for (Posted dropped : evicted) {
            LOG.info("{}: more than {} notifications or {} characters; forgot the oldest, {}", device,
                    MAX_RECEIVED_PER_DEVICE, MAX_RECEIVED_CHARS_PER_DEVICE, dropped.notification().id());
            removed(device, dropped.notification().id());
        }
        LOG.debug("{}: notification {} from {}", device, id, posted.notification().appName());
        events.publish(new NotificationPosted(device.id(), posted.notification()));
        if (packet.hasPayload() && posted.payloadHash().isPresent() && cachedIcon(device, posted).isEmpty()) {
            boolean queued = iconTransfer(device, () -> {
                fetchIcon(device, packet, posted.payloadHash().get());
                forward(device, id);
            });
            if (!queued) {
                forward(device, id);
            }
        } else {
            forward(device, id);
        }
    }

    private void receiveRequest(Device device, Packet packet) {
        Optional<String> cancel = packet.text("cancel");
        if (cancel.isPresent()) {
            boolean known;
            synchronized (this) {
                known = sentTo(device.id()).remove(cancel.get()) != null;
            }
            LOG.info("{}: the user dismissed our notification {}{}", device, cancel.get(), known ? "" : " (unknown)");
            if (known) {
                events.publish(new OwnNotificationDismissed(device.id(), cancel.get()));
            }
        } else if (packet.bool("request").orElse(false)) {
            long current = device.linkNumber();
            List<Sent> all;
            synchronized (this) {
                all = sentTo(device.id()).values().stream()
                        .filter(sent -> !Long.valueOf(current).equals(sentOnLink.get(new Key(device.id(), sent.id()))))
                        .toList();
            }
            LOG.debug("{}: re-sending our {} notifications on request", device, all.size());
            for (Sent notification : all) {
                try {
                    transmit(device, notification, true);
                    sentOnLink.put(new Key(device.id(), notification.id()), current);
                } catch (DeviceException e) {
                    LOG.warn("{}: re-sending {} {} failed: {}", device, NOTIFICATION, notification.id(), e.getMessage());
                }
            }
        } else {
            LOG.warn("{}: refused {}: neither a request nor a cancel with an id: {}", device, REQUEST, packet.body());
        }
    }

    /** Sends a notification to the device; returns its id (the caller's, or a generated one). */
    public String send(Device device, OutgoingNotification notification) throws DeviceException {
        Objects.requireNonNull(notification.appName(), "appName");
        Objects.requireNonNull(notification.title(), "title");
        Objects.requireNonNull(notification.text(), "text");
        String id = notification.id().orElseGet(() -> UUID.randomUUID().toString());
        if (id.isBlank()) {
            throw new IllegalArgumentException("a notification id must not be blank");
        }
        Optional<byte[]> icon = notification.icon().isPresent()
                ? Optional.of(readIcon(device, notification.icon().get())) : Optional.empty();
        Sent entry = new Sent(id, notification, icon, System.currentTimeMillis());
        // Read before sending: should a new link take over meanwhile, the next request sends it
        // again rather than never.
        long onLink = device.linkNumber();
        transmit(device, entry, false);
        sentOnLink.put(new Key(device.id(), id), onLink);
        synchronized (this) {
            LinkedHashMap<String, Sent> map = sentTo(device.id());
            map.remove(id);
            if (map.size() >= MAX_SENT_PER_DEVICE) {
                Iterator<Sent> oldest = map.values().iterator();
                Sent evicted = oldest.next();
                oldest.remove();
                sentOnLink.remove(new Key(device.id(), evicted.id()));
            }
            map.put(id, entry);
        }
        return id;
    }

    public void withdraw(Device device, String id) throws DeviceException {
        synchronized (this) {
            sentTo(device.id()).remove(id);
        }
        sentOnLink.remove(new Key(device.id(), id));
        device.send(NotificationPackets.cancel(id));
    }

    /** Dismisses one of the device's notifications on the device. */
    public void dismiss(Device device, String id) throws DeviceException {
        // As kdeconnect-kde does: forget it now, since a device that lost track of it never confirms.
        // Forgotten before the packet goes, so no one sees it listed after the device got the dismissal.
        Posted forgotten;
        synchronized (this) {
            forgotten = receivedOf(device.id()).remove(id);
        }
        try {
            device.send(NotificationPackets.dismiss(id));
        } catch (DeviceException e) {
            if (forgotten != null) {
                synchronized (this) {
                    receivedOf(device.id()).putIfAbsent(id, forgotten);
                }
            }
            throw e;
        }
        if (forgotten != null) {
            removed(device, id);
        }
    }

    /** Answers one of the device's notifications (a chat message, say) with {@code message}. */
    public void reply(Device device, String id, String message) throws DeviceException {
        DeviceNotification notification = current(device, id);
        String replyId = notification.replyId().orElseThrow(() -> new IllegalArgumentException(
                "notification " + id + " of " + device.name() + " takes no reply"));
        if (message.isEmpty()) {
            throw new IllegalArgumentException("a reply must not be empty");
        }
        device.send(NotificationPackets.reply(replyId, message));
    }

    /** Presses one of the buttons ({@code actions}) of one of the device's notifications. */
    public void activate(Device device, String id, String action) throws DeviceException {
        DeviceNotification notification = current(device, id);
        if (!notification.actions().contains(action)) {
            throw new IllegalArgumentException("notification " + id + " of " + device.name() + " has no action \""
                    + action + "\"" + (notification.actions().isEmpty() ? "" : "; it has " + notification.actions()));
        }
        device.send(NotificationPackets.action(id, action));
    }

    private synchronized DeviceNotification current(Device device, String id) {
        Posted posted = receivedOf(device.id()).get(id);
        if (posted == null) {
            throw new IllegalArgumentException(device.name() + " shows no notification " + id);
        }
        return posted.notification();
    }

    /** The device's current notifications, oldest first. */
    public synchronized List<DeviceNotification> list(String deviceId) {
        LinkedHashMap<String, Posted> map = received.get(deviceId);
        if (map == null) {
            return List.of();
        }
        List<DeviceNotification> result = new ArrayList<>(map.size());
        map.values().forEach(posted -> result.add(posted.notification()));
        return result;
    }

    /**
     * Without an icon the packet goes out now and errors are the caller's. With one, the device
     * must fetch it from us, and one that has it cached (kdeconnect-kde keys its cache by
     * payloadHash) never does: so the packet goes out in the background, after checking here
     * what {@link Device#sendWithPayload} would refuse.
     */
    private void transmit(Device device, Sent entry, boolean silent) throws DeviceException {
        Packet packet = NotificationPackets.notification(entry.id(), entry.notification(), entry.icon(), entry.time(),
                silent);
        if (entry.icon().isEmpty()) {
            device.send(packet);
            return;
        }
        device.requireAccepts(NOTIFICATION);
        byte[] icon = entry.icon().get();
        boolean queued = iconTransfer(device, () -> {
            try (PayloadUpload upload = device.offerPayload(packet, icon.length)) {
                ScheduledFuture<?> deadline = iconDeadlines.schedule(upload::close, ICON_DEADLINE.toMillis(),
                        TimeUnit.MILLISECONDS);
                try {
                    upload.transfer(new ByteArrayInputStream(icon), icon.length, done -> { }, ICON_DEADLINE);
                } finally {
                    deadline.cancel(false);
                }
            } catch (IOException | DeviceException e) {
                LOG.info("{}: {} {}: icon not taken within {} s (normal when the device has it cached): {}",
                        device, NOTIFICATION, entry.id(), ICON_DEADLINE.toSeconds(), e.getMessage());
            }
        });
        if (!queued) {
            device.send(NotificationPackets.notification(entry.id(), entry.notification(), Optional.empty(),
                    entry.time(), silent));
        }
    }

    /**
     * Runs an icon transfer on {@code device}'s own thread; false, with a log line, when too many
     * of its icons wait already (then the notification goes on without one).
     */
    private boolean iconTransfer(Device device, Runnable transfer) {
        ThreadPoolExecutor executor = iconTransfers.computeIfAbsent(device.id(), id -> {
            ThreadPoolExecutor perDevice = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(MAX_QUEUED_ICONS_PER_DEVICE), Threads.daemon("notification-icon"));
            perDevice.allowCoreThreadTimeOut(true);
            return perDevice;
        });
        try {
            executor.execute(transfer);
            return true;
        } catch (RejectedExecutionException e) {
            LOG.info("{}: {}: more than {} icons waiting; this notification goes without its icon", device,
                    NOTIFICATION, MAX_QUEUED_ICONS_PER_DEVICE);
            return false;
        }
    }

    private static byte[] readIcon(Device device, Path file) throws DeviceException {
        String prefix = device.id() + ": " + NOTIFICATION + ": icon " + file;
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw new DeviceException(prefix + " is not a regular file");
            }
            long size = Files.size(file);
            if (size > MAX_ICON_BYTES) {
                throw new DeviceException(prefix + " has " + size + " bytes, over the limit of " + MAX_ICON_BYTES);
            }
            try (InputStream in = Files.newInputStream(file)) {
                // the file may have grown since its size was read
                bytes = in.readNBytes(MAX_ICON_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw new DeviceException(prefix + " does not exist", e);
        } catch (IOException e) {
            throw new DeviceException(prefix + " is unreadable: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_ICON_BYTES) {
            throw new DeviceException(prefix + " is over the limit of " + MAX_ICON_BYTES + " bytes");
        }
        if (bytes.length < PNG_SIGNATURE.length
                || !Arrays.equals(bytes, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length)) {
            throw new DeviceException(prefix + " is not a PNG file");
        }
        return bytes;
    }

    private void fetchIcon(Device device, Packet packet, String hash) {
        if (packet.payloadSize() < 0 || packet.payloadSize() > MAX_ICON_BYTES) {
            LOG.info("{}: {}: dropped an icon of {} bytes (limit {})", device, NOTIFICATION, packet.payloadSize(),
                    MAX_ICON_BYTES);
            return;
        }
        byte[] icon;
        AtomicBoolean late = new AtomicBoolean();
        try (InputStream in = device.openPayload(packet)) {
            // Closing the stream is what ends a read blocked on a device that trickles.
            ScheduledFuture<?> deadline = iconDeadlines.schedule(() -> {
                late.set(true);
                closeQuietly(in);
            }, ICON_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            try {
                icon = in.readAllBytes();
            } finally {
                deadline.cancel(false);
            }
        } catch (IOException | DeviceException e) {
            LOG.info("{}: {}: icon not received{}: {}", device, NOTIFICATION,
                    late.get() ? " within " + ICON_DEADLINE.toSeconds() + " s" : "", e.getMessage());
            return;
        }
        if (!NotificationPackets.payloadHash(icon).equals(hash.toLowerCase(Locale.ROOT))) {
            LOG.warn("{}: {}: dropped an icon whose MD5 is not its payloadHash {}", device, NOTIFICATION, hash);
            return;
        }
        synchronized (this) {
            icons.put(new Key(device.id(), hash.toLowerCase(Locale.ROOT)), icon);
        }
    }

    private synchronized Optional<byte[]> cachedIcon(Device device, Posted posted) {
        return posted.payloadHash().map(hash -> icons.get(new Key(device.id(), hash.toLowerCase(Locale.ROOT))));
    }

    /** Shows the notification's current state on the desktop, unless it is gone or was there before we asked. */
    private void forward(Device device, String id) {
        if (!forwardToDesktop) {
            return;
        }
        desktopCalls.execute(() -> {
            Posted posted;
            synchronized (this) {
                LinkedHashMap<String, Posted> map = received.get(device.id());
                posted = map == null ? null : map.get(id);
            }
            Key key = new Key(device.id(), id);
            if (posted == null || (posted.silent() && !desktopIds.containsKey(key))) {
                return;
            }
            DeviceNotification n = posted.notification();
            String app = n.appName().isEmpty() ? device.name() : n.appName();
            String summary = n.text().isEmpty() || n.title().isEmpty() || n.title().equals(app)
                    ? app : app + ": " + n.title();
            String body = n.text().isEmpty() ? n.title() : n.text();
            int replaces = desktopIds.getOrDefault(key, 0);
            Optional<byte[]> icon = cachedIcon(device, posted);
            List<DesktopNotifier.Action> buttons = new ArrayList<>();
            n.actions().forEach(action -> buttons.add(new DesktopNotifier.Action(ACTION_KEY + action, action)));
            int shown = desktop.show(DesktopNotifier.Notice.of(device.name(), summary, body).withIcon(icon)
                    .withActions(buttons, new DesktopListener(device, n)).replacing(replaces));
            if (shown != 0) {
                desktopIds.put(key, shown);
            }
        });
    }

    /**
     * The desktop's copy acts on the phone: its buttons press the phone's, and a dismissal by the
     * user dismisses the phone's notification, as GSConnect and KDE do.
     */
    private final class DesktopListener implements DesktopNotifier.Listener {
        private final Device device;
        private final DeviceNotification notification;
        /** Servers close a notification after a button press, as if the user dismissed it: that is no dismissal. */
        private volatile boolean pressed;

        DesktopListener(Device device, DeviceNotification notification) {
            this.device = device;
            this.notification = notification;
        }

        @Override
        public void action(String key) {
            if (!key.startsWith(ACTION_KEY)) {
                return;
            }
            pressed = true;
            try {
                activate(device, notification.id(), key.substring(ACTION_KEY.length()));
            } catch (DeviceException | IllegalArgumentException e) {
                LOG.info("{}: button {} of notification {} pressed on the desktop, not passed on: {}", device,
                        key.substring(ACTION_KEY.length()), notification.id(), e.getMessage());
            }
        }

        @Override
        public void closed(int reason) {
            desktopCalls.execute(() -> {
                desktopIds.remove(new Key(device.id(), notification.id()));
                if (reason != DesktopNotifier.DISMISSED || pressed || !notification.clearable()) {
                    return;
                }
                try {
                    dismiss(device, notification.id());
                } catch (DeviceException e) {
                    LOG.info("{}: notification {} dismissed on the desktop, not on the device: {}", device,
                            notification.id(), e.getMessage());
                }
            });
        }
    }

    private void removed(Device device, String id) {
        events.publish(new NotificationRemoved(device.id(), id));
        if (!forwardToDesktop) {
            return;
        }
        desktopCalls.execute(() -> {
            Integer shown = desktopIds.remove(new Key(device.id(), id));
            if (shown != null) {
                desktop.close(shown);
            }
        });
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            LOG.debug("closing an icon payload failed: {}", e.getMessage());
        }
    }

    private LinkedHashMap<String, Posted> receivedOf(String deviceId) {
        return received.computeIfAbsent(deviceId, k -> new LinkedHashMap<>());
    }

    private LinkedHashMap<String, Sent> sentTo(String deviceId) {
        return sent.computeIfAbsent(deviceId, k -> new LinkedHashMap<>());
    }

    @Override
    public void close() {
        desktopCalls.shutdownNow();
        iconDeadlines.shutdownNow();
        iconTransfers.values().forEach(ThreadPoolExecutor::shutdownNow);
    }

    @Override
    public BusSurface busSurface(DeviceRef device) {
        NotificationDevice1 methods = new NotificationMethods(this, device);
        return new BusSurface(List.of(BusInterface.partOfDevice1(NotificationDevice1.class, methods)), List.of(
                GtkAction.of("sendNotification", "a{sv}", dictionary -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Variant<?>> values = (Map<String, Variant<?>>) dictionary;
                    device.call("show a notification on", d -> send(d, NotificationArguments.parse(values, true)));
                }),
                GtkAction.of("withdrawNotification", "s", id -> methods.WithdrawNotification((String) id))));
    }

    @Override
    public Optional<DBusSignal> signal(PluginEvent event, String objectPath) throws DBusException {
        if (event instanceof NotificationPosted posted) {
            return Optional.of(new NotificationDevice1.NotificationPosted(objectPath, posted.notification().id(),
                    NotificationArguments.dictionary(posted.notification())));
        }
        if (event instanceof NotificationRemoved removed) {
            return Optional.of(new NotificationDevice1.NotificationRemoved(objectPath, removed.id()));
        }
        return Optional.empty();
    }
}
