package io.github.gsbridge.desktop;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link DesktopNotifier} on the session bus's {@code org.freedesktop.Notifications}. Connects on
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

    private final Optional<String> address;
    private DBusConnection connection;
    private Notifications server;
    /** Whether the server parses markup in bodies; unknown until GetCapabilities answered. */
    private Boolean bodyMarkup;
    private boolean failing;
    private boolean noBus;

    /** On the session bus named by {@code DBUS_SESSION_BUS_ADDRESS}. */
    public FreedesktopNotifier() {
        this.address = Optional.empty();
    }

    /** On the bus at {@code address}, e.g. {@code unix:path=/run/user/1000/bus}. */
    public FreedesktopNotifier(String address) {
        this.address = Optional.of(address);
    }

    @Override
    public synchronized int show(String appName, String summary, String body, int replacesId) {
        return notify(appName, summary, body, Map.of(), replacesId);
    }

    @Override
    public synchronized int show(String appName, String summary, String body, byte[] pngIcon, int replacesId) {
        Map<String, Variant<?>> hints = imageData(pngIcon)
                .<Map<String, Variant<?>>>map(image -> Map.of("image-data", new Variant<>(image, "(iiibiiay)")))
                .orElse(Map.of());
        return notify(appName, summary, body, hints, replacesId);
    }

    @Override
    public synchronized void close(int id) {
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

    private int notify(String appName, String summary, String body, Map<String, Variant<?>> hints, int replacesId) {
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
                    bodyMarkup ? escapeMarkup(body) : body, List.of(), hints, DEFAULT_TIMEOUT);
            failing = false;
            return id.intValue();
        } catch (DBusExecutionException e) {
            failed("Notify", e);
            return 0;
        }
    }

    /** The server's proxy, connecting first if needed; null when there is no bus. */
    private Notifications server() {
        if (server != null || noBus) {
            return server;
        }
        try {
            DBusConnectionBuilder builder = address.isPresent()
                    ? DBusConnectionBuilder.forAddress(address.get()) : DBusConnectionBuilder.forSessionBus();
            connection = builder.withShared(false).transportConfig().withTimeout(CONNECT_TIMEOUT_MS).back().build();
            server = connection.getRemoteObject(Notifications.BUS_NAME, Notifications.OBJECT_PATH,
                    Notifications.class);
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
    }

    @Override
    public synchronized void close() {
        disconnect();
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
