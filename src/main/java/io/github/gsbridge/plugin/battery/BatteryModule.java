package io.github.gsbridge.plugin.battery;

import io.github.gsbridge.bus.SystemBus;
import io.github.gsbridge.desktop.NotificationKind;
import io.github.gsbridge.plugin.CommandFailure;
import io.github.gsbridge.plugin.DeviceCommand;
import io.github.gsbridge.plugin.Plain;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginContext;
import io.github.gsbridge.plugin.PluginModule;
import io.github.gsbridge.plugin.WatchFormat;
import org.freedesktop.dbus.types.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Battery: {@code gsbridge battery}, Battery1, and the battery in {@code devices} and {@code watch}. */
public final class BatteryModule implements PluginModule {
    @Override
    public String name() {
        return "battery";
    }

    @Override
    public Plugin create(PluginContext context) {
        return new BatteryPlugin(context.events(), SystemBus.address(context.environment()),
                context.settings("battery"));
    }

    @Override
    public List<Object> commands() {
        return List.of(new Battery());
    }

    @Override
    public List<NotificationKind> notificationKinds() {
        return List.of(BatteryPlugin.LOW_BATTERY);
    }

    @Command(name = "battery", description = "Shows DEV's battery: its charge, and whether it is charging or low.")
    static final class Battery extends DeviceCommand {
        @Option(names = "--json", description = "Prints JSON, for scripts.")
        private boolean json;

        @Override
        protected void run() throws Exception {
            Map<String, Variant<?>> properties;
            try {
                properties = cli.daemon().properties(target().path(), Battery1.NAME);
            } catch (CommandFailure e) {
                throw new CommandFailure(target().name() + " does not tell its battery (it has no battery plugin)");
            }
            Map<String, Object> battery = Plain.properties(properties);
            if (json) {
                cli.printJson(battery);
                return;
            }
            cli.out().println(target().name() + ": " + describe(battery).orElse("has not reported its battery"));
        }
    }

    /** "battery 80 %, charging", from Battery1's properties as {@link Plain#properties} makes them. */
    static Optional<String> describe(Map<String, Object> battery) {
        if (!(battery.get("charge") instanceof Integer charge) || charge < 0 || charge > 100) {
            return Optional.empty();
        }
        return Optional.of(new BatteryState(charge, Boolean.TRUE.equals(battery.get("charging")),
                Boolean.TRUE.equals(battery.get("low"))).describe());
    }

    @Override
    public WatchFormat watch() {
        return new WatchFormat() {
            @Override
            public Optional<String> sentence(String who, Map<String, Object> event) {
                if (!"PropertiesChanged".equals(event.get("event")) || !Battery1.NAME.equals(event.get("interface"))) {
                    return Optional.empty();
                }
                List<String> parts = new ArrayList<>();
                if (event.get("charge") instanceof Integer charge) {
                    parts.add(charge < 0 ? "battery unknown" : "battery " + charge + " %");
                }
                if (event.get("charging") instanceof Boolean charging) {
                    parts.add(charging ? "charging" : "not charging");
                }
                if (event.get("low") instanceof Boolean low) {
                    parts.add(low ? "battery low" : "battery no longer low");
                }
                return parts.isEmpty() ? Optional.empty() : Optional.of(who + ": " + String.join(", ", parts));
            }

            @Override
            public Optional<String> summary(Map<String, Map<String, Object>> interfaces) {
                return Optional.ofNullable(interfaces.get(Battery1.NAME)).flatMap(BatteryModule::describe);
            }
        };
    }
}
