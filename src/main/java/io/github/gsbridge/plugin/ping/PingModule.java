package io.github.gsbridge.plugin.ping;

import io.github.gsbridge.plugin.DeviceCommand;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginContext;
import io.github.gsbridge.plugin.PluginModule;
import io.github.gsbridge.plugin.WatchFormat;
import org.freedesktop.dbus.messages.DBusSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Ping: {@code gsbridge ping}, Device1.Ping and PingReceived. */
public final class PingModule implements PluginModule {
    @Override
    public String name() {
        return "ping";
    }

    @Override
    public Plugin create(PluginContext context) {
        return new PingPlugin(context.events());
    }

    @Override
    public List<Object> commands() {
        return List.of(new Ping());
    }

    @Command(name = "ping", description = "Pings DEV, with a message if given.")
    static final class Ping extends DeviceCommand {
        @Parameters(paramLabel = "MESSAGE", arity = "0..*", description = "Words of the message.")
        private List<String> message = List.of();

        @Override
        protected void run() throws Exception {
            remote(PingDevice1.class).Ping(String.join(" ", message));
            cli.out().println("Pinged " + target().name() + ".");
        }
    }

    @Override
    public WatchFormat watch() {
        return new WatchFormat() {
            @Override
            public List<Class<? extends DBusSignal>> signals() {
                return List.of(PingDevice1.PingReceived.class);
            }

            @Override
            public Optional<Map<String, Object>> describe(DBusSignal signal) {
                if (!(signal instanceof PingDevice1.PingReceived ping)) {
                    return Optional.empty();
                }
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("event", "PingReceived");
                event.put("message", ping.message);
                return Optional.of(event);
            }

            @Override
            public Optional<String> sentence(String who, Map<String, Object> event) {
                if (!"PingReceived".equals(event.get("event"))) {
                    return Optional.empty();
                }
                String message = String.valueOf(event.get("message"));
                return Optional.of(who + ": ping" + (message.isEmpty() ? "" : " \"" + message + "\""));
            }
        };
    }
}
