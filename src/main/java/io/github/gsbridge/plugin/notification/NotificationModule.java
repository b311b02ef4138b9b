package io.github.gsbridge.plugin.notification;

import io.github.gsbridge.plugin.DeviceCommand;
import io.github.gsbridge.plugin.Plain;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginContext;
import io.github.gsbridge.plugin.PluginModule;
import io.github.gsbridge.plugin.WatchFormat;
import io.github.gsbridge.desktop.NotificationKind;
import org.freedesktop.dbus.types.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Notifications both ways: {@code gsbridge notify}, {@code withdraw}, {@code reply}, {@code action}, {@code notifications}. */
public final class NotificationModule implements PluginModule {
    @Override
    public String name() {
        return "notification";
    }

    @Override
    public Plugin create(PluginContext context) {
        return new NotificationPlugin(context.events(), context.desktop(),
                context.desktopNotifications().contains(NotificationKind.PHONE));
    }

    @Override
    public List<Object> commands() {
        return List.of(new Notify(), new Withdraw(), new Reply(), new Action(), new Notifications());
    }

    @Command(name = "notify", description = "Shows a notification on DEV and prints its id (for withdraw).")
    static final class Notify extends DeviceCommand {
        @Option(names = "--title", required = true, description = "The notification's title.")
        private String title;
        @Option(names = "--text", required = true, description = "Its text.")
        private String text;
        @Option(names = "--app", paramLabel = "NAME", description = "The application it is from (gsbridge if not given).")
        private String app;
        @Option(names = "--id", description = "Its id; one is made up if not given.")
        private String id;
        @Option(names = "--icon", paramLabel = "PNG", description = "An image file shown with it.")
        private String icon;

        @Override
        protected void run() throws Exception {
            Map<String, Variant<?>> notification = new LinkedHashMap<>();
            notification.put("title", new Variant<>(title));
            notification.put("text", new Variant<>(text));
            Optional.ofNullable(app).ifPresent(value -> notification.put("appName", new Variant<>(value)));
            Optional.ofNullable(id).ifPresent(value -> notification.put("id", new Variant<>(value)));
            Optional.ofNullable(icon).ifPresent(value -> notification.put("icon",
                    new Variant<>(cli.workingDir().resolve(value).toString())));
            cli.out().println(remote(NotificationDevice1.class).SendNotification(notification));
        }
    }

    @Command(name = "withdraw", description = "Removes the notification ID we sent to DEV.")
    static final class Withdraw extends DeviceCommand {
        @Parameters(paramLabel = "ID", description = "What notify printed.")
        private String id;

        @Override
        protected void run() throws Exception {
            remote(NotificationDevice1.class).WithdrawNotification(id);
            cli.out().println("Withdrew notification " + id + " from " + target().name() + ".");
        }
    }

    @Command(name = "reply", description = "Answers DEV's notification ID with MESSAGE. ID is a chat message, say.")
    static final class Reply extends DeviceCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The notification (\"gsbridge notifications\" lists them).")
        private String id;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "MESSAGE", description = "Words of the answer.")
        private List<String> message;

        @Override
        protected void run() throws Exception {
            remote(NotificationDevice1.class).ReplyNotification(id, String.join(" ", message));
            cli.out().println("Replied to notification " + id + " on " + target().name() + ".");
        }
    }

    @Command(name = "action", description = "Presses the button ACTION of DEV's notification ID. "
            + "\"gsbridge notifications\" lists them.")
    static final class Action extends DeviceCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The notification.")
        private String id;
        @Parameters(index = "1", paramLabel = "ACTION", description = "The button's label.")
        private String action;

        @Override
        protected void run() throws Exception {
            remote(NotificationDevice1.class).ActivateNotificationAction(id, action);
            cli.out().println("Pressed \"" + action + "\" on notification " + id + " on " + target().name() + ".");
        }
    }

    @Command(name = "notifications", description = "Lists DEV's notifications.")
    static final class Notifications extends DeviceCommand {
        @Option(names = "--json", description = "Prints JSON, for scripts.")
        private boolean json;

        @Override
        protected void run() throws Exception {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Map<String, Variant<?>> notification : remote(NotificationDevice1.class).ListNotifications()) {
                list.add(Plain.properties(notification));
            }
            if (json) {
                cli.printJson(list);
                return;
            }
            if (list.isEmpty()) {
                cli.out().println(target().name() + " shows no notifications.");
            }
            for (Map<String, Object> n : list) {
                List<?> actions = (List<?>) n.getOrDefault("actions", List.of());
                cli.out().printf("[%s] %s: %s  (id %s%s%s)%n", n.get("appName"), n.get("title"), n.get("text"),
                        n.get("id"), Boolean.TRUE.equals(n.get("repliable")) ? "; repliable" : "",
                        actions.isEmpty() ? "" : "; actions: "
                                + String.join(", ", actions.stream().map(String::valueOf).toList()));
            }
        }
    }

    @Override
    public WatchFormat watch() {
        return WatchFormat.of(List.of(
                WatchFormat.line(NotificationDevice1.NotificationPosted.class,
                        posted -> WatchFormat.fields("id", posted.id, "notification", Plain.of(posted.notification)),
                        (who, event) -> who + " shows a notification " + event.get("id") + ": "
                                + describeNotification(event.get("notification"))),
                WatchFormat.line(NotificationDevice1.NotificationRemoved.class,
                        removed -> WatchFormat.fields("id", removed.id),
                        (who, event) -> who + " removed its notification " + event.get("id"))));
    }

    private static String describeNotification(Object notification) {
        if (!(notification instanceof Map<?, ?> map)) {
            return String.valueOf(notification);
        }
        StringBuilder out = new StringBuilder();
        for (String key : List.of("appName", "title", "text")) {
            Object value = map.get(key);
            if (value != null && !String.valueOf(value).isEmpty()) {
                out.append(out.length() == 0 ? "" : " - ").append(value);
            }
        }
        return out.toString();
    }
}
