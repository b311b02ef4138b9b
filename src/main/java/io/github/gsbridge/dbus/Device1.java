package io.github.gsbridge.dbus;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;

import java.util.List;
import java.util.Map;

/** {@code io.github.gsbridge.Device1}, documented in {@code dbus/io.github.gsbridge.Device1.xml}. */
@DBusInterfaceName(Device1.NAME)
@SuppressWarnings("checkstyle:methodname")
public interface Device1 extends DBusInterface {
    String NAME = "io.github.gsbridge.Device1";

    void RequestPair();

    void AcceptPair();

    void RejectPair();

    void Unpair();

    void Ping(String message);

    void Ring();

    DBusPath ShareFiles(List<String> pathsOrFileUris, boolean open);

    void ShareUrl(String url);

    void ShareText(String text);

    String SendNotification(Map<String, Variant<?>> notification);

    void WithdrawNotification(String id);

    void DismissNotification(String id);

    void ReplyNotification(String id, String message);

    void ActivateNotificationAction(String id, String action);

    List<Map<String, Variant<?>>> ListNotifications();

    final class PairRequested extends DBusSignal {
        public final String verificationKey;

        public PairRequested(String path, String verificationKey) throws DBusException {
            super(path, verificationKey);
            this.verificationKey = verificationKey;
        }
    }

    final class PingReceived extends DBusSignal {
        public final String message;

        public PingReceived(String path, String message) throws DBusException {
            super(path, message);
            this.message = message;
        }
    }

    final class FileReceived extends DBusSignal {
        public final DBusPath transfer;
        public final String file;

        public FileReceived(String path, DBusPath transfer, String file) throws DBusException {
            super(path, transfer, file);
            this.transfer = transfer;
            this.file = file;
        }
    }

    final class UrlReceived extends DBusSignal {
        public final String url;

        public UrlReceived(String path, String url) throws DBusException {
            super(path, url);
            this.url = url;
        }
    }

    final class TextReceived extends DBusSignal {
        public final String text;

        public TextReceived(String path, String text) throws DBusException {
            super(path, text);
            this.text = text;
        }
    }

    final class NotificationPosted extends DBusSignal {
        public final String id;
        public final Map<String, Variant<?>> notification;

        public NotificationPosted(String path, String id, Map<String, Variant<?>> notification) throws DBusException {
            super(path, id, notification);
            this.id = id;
            this.notification = notification;
        }
    }

    final class NotificationRemoved extends DBusSignal {
        public final String id;

        public NotificationRemoved(String path, String id) throws DBusException {
            super(path, id);
            this.id = id;
        }
    }
}
