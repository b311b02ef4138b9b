package io.github.gsbridge.desktop;

import io.github.gsbridge.bus.SessionBus;
import io.github.gsbridge.threads.Threads;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * {@link DesktopNotifier} on the session bus's {@code org.freedesktop.Notifications}, with the
 * server's ActionInvoked and NotificationClosed signals passed to each notice's listener. Connects on
 * first use; without a bus it stays off (a session's bus does not appear later), without a server
 * it asks again each time (a notification server may start after us), and after losing the bus it
 * connects once more. Until something is shown, {@link #show} returns 0. Failures are logged (the
 * first of a run at info, repeats at debug), never thrown: a missing desktop must not break what
 * the phone asked for.
 */
public final class FreedesktopNotifier implements DesktopNotifier, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FreedesktopNotifier.class);
    /** Icons bigger than this are not decoded: a small PNG can expand to a huge pixel buffer. */
    static final int MAX_ICON_SIDE = 512;
    /** A local socket answers at once or not at all. */
    private static final int CONNECT_TIMEOUT_MS = 1000;
    /** The server's default expiry. */
    private static final int DEFAULT_TIMEOUT = -1;
    private static final int NEVER_EXPIRE = 0;

    private final Optional<String> address;
    private DBusConnection connection;
    private Notifications server;
    /** Whether the server parses markup in bodies; unknown until GetCapabilities answered. */
    private Boolean bodyMarkup;
    private boolean failing;
    private boolean noBus;
    /** What to tell about the notifications we show, by server id. */
    private final Map<Integer, Listener> listeners = new HashMap<>();
    /** Listeners run here: they may call back into this notifier, or into the daemon, and take time. */
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(Threads.daemon("desktop-notification-actions"));

    /** On the session bus named by {@code DBUS_SESSION_BUS_ADDRESS}. */
    public FreedesktopNotifier() {
        this.address = Optional.empty();
    }

    /** On the bus at {@code address}, e.g. {@code unix:path=/run/user/1000/bus}. */
    public FreedesktopNotifier(String address) {
        this.address = Optional.of(address);
    }

    @Override
    public synchronized int show(Notice notice) {
        Map<String, Variant<?>> hints = new HashMap<>();
        notice.pngIcon().flatMap(FreedesktopNotifier::imageData)
                .ifPresent(image -> hints.put("image-data", new Variant<>(image, "(iiibiiay)")));
        if (notice.resident()) {
            // Without it GNOME Shell and dunst drop a pair request from view long before it expires.
            hints.put("urgency", new Variant<>((byte) 2));
        }
        List<String> actions = new ArrayList<>();
        for (Action action : notice.actions()) {
            actions.add(action.key());
            actions.add(action.label());
        }
        int id = notify(notice.appName(), notice.summary(), notice.body(), actions, hints,
                notice.resident() ? NEVER_EXPIRE : DEFAULT_TIMEOUT, notice.replacesId());
        if (id != 0) {
            if (notice.listener() == Listener.NONE) {
                listeners.remove(id);
            } else {
                listeners.put(id, notice.listener());
            }
        }
        return id;
    }

    @Override
    public synchronized void close(int id) {
        listeners.remove(id);
        Notifications current = server();
        if (current == null) {
            return;
        }
        try {
            current.CloseNotification(new UInt32(Integer.toUnsignedLong(id)));
        } catch (DBusExecutionException e) {
            failed("CloseNotification " + Integer.toUnsignedString(id), e);
        }
    }

    private int notify(String appName, String summary, String body, List<String> actions,
                       Map<String, Variant<?>> hints, int timeout, int replacesId) {
        Notifications current = server();
        if (current == null) {
            return 0;
        }
        try {
            if (bodyMarkup == null) {
                bodyMarkup = current.GetCapabilities().contains("body-markup");
                Notifications.ServerInformation<String, String, String, String> info = current.GetServerInformation();
                LOG.info("desktop notifications go to {} {} ({}){}", info.getName(), info.getVersion(),
                        info.getVendor(), bodyMarkup ? ", which reads markup" : "");
            }
            UInt32 id = current.Notify(appName, new UInt32(Integer.toUnsignedLong(replacesId)), "", summary,
                    bodyMarkup ? escapeMarkup(body) : body, actions, hints, timeout);
            failing = false;
            return id.intValue();
        } catch (DBusExecutionException e) {
            failed("Notify", e);
            return 0;
        }
    }

    /**
     * A signal about one of ours: handled on {@link #callbacks}, and only when it comes from the
     * server (any program on the bus may send these signals; a forged Accept must not pair).
     */
    private void signalled(DBusSignal signal, int id, Consumer<Listener> call, boolean last) {
        callbacks.execute(() -> {
            Listener listener;
            synchronized (this) {
                listener = last ? listeners.remove(id) : listeners.get(id);
                if (listener == null) {
                    return;
                }
                if (!fromServer(signal.getSource())) {
                    LOG.warn("ignored {} for desktop notification {} from {}, which is not the notification server",
                            signal.getName(), Integer.toUnsignedString(id), signal.getSource());
                    if (last) {
                        listeners.put(id, listener);
                    }
                    return;
                }
            }
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("handling {} of desktop notification {} failed", signal.getName(), Integer.toUnsignedString(id), e);
            }
        });
    }

    private boolean fromServer(String sender) {
        try {
            DBus bus = connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            return bus.GetNameOwner(Notifications.BUS_NAME).equals(sender);
        } catch (DBusException | RuntimeException e) {
            LOG.debug("cannot tell who owns {}: {}", Notifications.BUS_NAME, e.getMessage());
            return false;
        }
    }

    /** The server's proxy, connecting first if needed; null when there is no bus. */
    private Notifications server() {
        if (server != null || noBus) {
            return server;
        }
        try {
            Optional<String> target = address.or(() -> SessionBus.address(System.getenv()));
            if (target.isEmpty()) {
                noBus = true;
                report("no session bus (DBUS_SESSION_BUS_ADDRESS is not set): no desktop notifications");
                return null;
            }
            connection = DBusConnectionBuilder.forAddress(target.get()).withShared(false).transportConfig().withTimeout(CONNECT_TIMEOUT_MS).back().build();
            server = connection.getRemoteObject(Notifications.BUS_NAME, Notifications.OBJECT_PATH,
                    Notifications.class);
            connection.addSigHandler(Notifications.ActionInvoked.class,
                    signal -> signalled(signal, signal.id(), listener -> listener.action(signal.actionKey()), false));
            connection.addSigHandler(Notifications.NotificationClosed.class,
                    signal -> signalled(signal, signal.id(), listener -> listener.closed(signal.reason()), true));
            return server;
        } catch (DBusException | RuntimeException e) {
            disconnect();
            noBus = true;
            report("no session bus for desktop notifications (" + address.orElse("$DBUS_SESSION_BUS_ADDRESS") + "): "
                    + e.getMessage());
            return null;
        }
    }

    /** A call failed: no server owns the name, it broke, or the bus went away (then connect again next time). */
    private void failed(String call, DBusExecutionException e) {
        report("desktop notification " + call + " failed: " + e.getMessage());
        bodyMarkup = null;
        if (connection != null && !connection.isConnected()) {
            disconnect();
        }
    }

    private void report(String message) {
        if (failing) {
            LOG.debug("{}", message);
        } else {
            LOG.info("{}", message);
            failing = true;
        }
    }

    private void disconnect() {
        if (connection != null) {
            connection.disconnect();
        }
        connection = null;
        server = null;
        bodyMarkup = null;
        // The ids were the lost server's; its signals for them will never come.
        listeners.clear();
    }

    @Override
    public synchronized void close() {
        disconnect();
        callbacks.shutdown();
    }

    /** The spec's markup is a subset of XML: these three would be read as markup otherwise. */
    static String escapeMarkup(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** PNG bytes as 8-bit RGBA pixels, or empty (logged) when they cannot or should not be decoded. */
    static Optional<Notifications.ImageData> imageData(byte[] png) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                LOG.debug("notification icon of {} bytes is no image", png.length);
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            BufferedImage image;
            try {
                reader.setInput(in);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width > MAX_ICON_SIDE || height > MAX_ICON_SIDE) {
                    LOG.debug("notification icon of {}x{} pixels left out (limit {})", width, height, MAX_ICON_SIDE);
                    return Optional.empty();
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
            int width = image.getWidth();
            int height = image.getHeight();
            byte[] rgba = new byte[width * height * 4];
            int i = 0;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int argb = image.getRGB(x, y);
                    rgba[i++] = (byte) (argb >> 16);
                    rgba[i++] = (byte) (argb >> 8);
                    rgba[i++] = (byte) argb;
                    rgba[i++] = (byte) (argb >>> 24);
                }
            }
            return Optional.of(new Notifications.ImageData(width, height, width * 4, true, 8, 4, rgba));
        } catch (IOException | RuntimeException e) {
            LOG.debug("notification icon unreadable: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
