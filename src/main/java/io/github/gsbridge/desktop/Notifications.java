package io.github.gsbridge.desktop;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

import java.util.List;
import java.util.Map;

/**
 * The Desktop Notifications Specification's server interface, as dbus-java needs it spelled out;
 * method names are the D-Bus member names.
 */
@DBusInterfaceName("org.freedesktop.Notifications")
public interface Notifications extends DBusInterface {
    String BUS_NAME = "org.freedesktop.Notifications";
    String OBJECT_PATH = "/org/freedesktop/Notifications";

    UInt32 Notify(String appName, UInt32 replacesId, String appIcon, String summary, String body,
                  List<String> actions, Map<String, Variant<?>> hints, int expireTimeout);

    void CloseNotification(UInt32 id);

    List<String> GetCapabilities();

    ServerInformation<String, String, String, String> GetServerInformation();

    /** The user pressed a button; {@code actionKey} is the key given to Notify. */
    final class ActionInvoked extends DBusSignal {
        private final UInt32 id;
        private final String actionKey;

        public ActionInvoked(String path, UInt32 id, String actionKey) throws DBusException {
            super(path, id, actionKey);
            this.id = id;
            this.actionKey = actionKey;
        }

        public int id() {
            return id.intValue();
        }

        public String actionKey() {
            return actionKey;
        }
    }

    /** A notification went away; reason 1 expired, 2 dismissed by the user, 3 CloseNotification, 4 other. */
    final class NotificationClosed extends DBusSignal {
        private final UInt32 id;
        private final UInt32 reason;

        public NotificationClosed(String path, UInt32 id, UInt32 reason) throws DBusException {
            super(path, id, reason);
            this.id = id;
            this.reason = reason;
        }

        public int id() {
            return id.intValue();
        }

        public int reason() {
            return reason.intValue();
        }
    }

    /**
     * GetServerInformation's four out arguments (all strings). dbus-java reads the D-Bus types of a
     * tuple from its type arguments, hence the four parameters.
     */
    final class ServerInformation<N, V, E, S> extends Tuple {
        @Position(0)
        private final N name;
        @Position(1)
        private final V vendor;
        @Position(2)
        private final E version;
        @Position(3)
        private final S specVersion;

        public ServerInformation(N name, V vendor, E version, S specVersion) {
            this.name = name;
            this.vendor = vendor;
            this.version = version;
            this.specVersion = specVersion;
        }

        public N getName() {
            return name;
        }

        public V getVendor() {
            return vendor;
        }

        public E getVersion() {
            return version;
        }

        public S getSpecVersion() {
            return specVersion;
        }
    }

    /** The {@code image-data} hint, {@code (iiibiiay)}: raw pixels, here always 8-bit RGBA. */
    final class ImageData extends Struct {
        @Position(0)
        private final int width;
        @Position(1)
        private final int height;
        @Position(2)
        private final int rowStride;
        @Position(3)
        private final boolean hasAlpha;
        @Position(4)
        private final int bitsPerSample;
        @Position(5)
        private final int channels;
        @Position(6)
        private final byte[] data;

        public ImageData(int width, int height, int rowStride, boolean hasAlpha, int bitsPerSample, int channels,
                         byte[] data) {
            this.width = width;
            this.height = height;
            this.rowStride = rowStride;
            this.hasAlpha = hasAlpha;
            this.bitsPerSample = bitsPerSample;
            this.channels = channels;
            this.data = data;
        }

        public int getWidth() {
            return width;
        }

        public int getHeight() {
            return height;
        }

        public int getRowStride() {
            return rowStride;
        }

        public boolean isHasAlpha() {
            return hasAlpha;
        }

        public int getBitsPerSample() {
            return bitsPerSample;
        }

        public int getChannels() {
            return channels;
        }

        public byte[] getData() {
            return data;
        }
    }
}
