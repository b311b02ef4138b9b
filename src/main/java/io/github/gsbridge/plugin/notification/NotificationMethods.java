package io.github.gsbridge.plugin.notification;

import io.github.gsbridge.plugin.DeviceRef;
import org.freedesktop.dbus.types.Variant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Notifications' Device1 methods for one device. */
final class NotificationMethods implements NotificationDevice1 {
    private final NotificationPlugin plugin;
    private final DeviceRef device;

    NotificationMethods(NotificationPlugin plugin, DeviceRef device) {
        this.plugin = plugin;
        this.device = device;
    }

    @Override
    public String SendNotification(Map<String, Variant<?>> notification) {
        return device.call("show a notification on",
                d -> plugin.send(d, NotificationArguments.parse(notification, false)));
    }

    @Override
    public void WithdrawNotification(String id) {
        device.run("withdraw the notification from", d -> plugin.withdraw(d, id));
    }

    @Override
    public void DismissNotification(String id) {
        device.run("dismiss the notification of", d -> plugin.dismiss(d, id));
    }

    @Override
    public void ReplyNotification(String id, String message) {
        device.run("reply to the notification of", d -> plugin.reply(d, id, message));
    }

    @Override
    public void ActivateNotificationAction(String id, String action) {
        device.run("press the button on", d -> plugin.activate(d, id, action));
    }

    @Override
    public List<Map<String, Variant<?>>> ListNotifications() {
        return device.call("list the notifications of", d -> {
            List<Map<String, Variant<?>>> list = new ArrayList<>();
            for (DeviceNotification notification : plugin.list(d.id())) {
                list.add(NotificationArguments.dictionary(notification));
            }
            return list;
        });
    }

    @Override
    public String getObjectPath() {
        return device.path();
    }
}
