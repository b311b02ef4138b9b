package io.github.gsbridge.plugin.notification;

import io.github.gsbridge.plugin.BusInterface;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;

import java.util.List;
import java.util.Map;

/** Notifications' part of {@code io.github.gsbridge.Device1}. */
@DBusInterfaceName(BusInterface.DEVICE1)
@SuppressWarnings("checkstyle:methodname")
public interface NotificationDevice1 extends DBusInterface {
    String SendNotification(Map<String, Variant<?>> notification);

    void WithdrawNotification(String id);

    void DismissNotification(String id);

    void ReplyNotification(String id, String message);

    void ActivateNotificationAction(String id, String action);

    List<Map<String, Variant<?>>> ListNotifications();

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
