package io.github.gsbridge.plugin.ping;

import io.github.gsbridge.desktop.NotificationKind;
import io.github.gsbridge.plugin.DeviceCommand;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginContext;
import io.github.gsbridge.plugin.PluginModule;
import io.github.gsbridge.plugin.WatchFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

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

    @Override
    public List<NotificationKind> notificationKinds() {
        return List.of(PingPlugin.PINGS);
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
        return WatchFormat.of(List.of(WatchFormat.line(PingDevice1.PingReceived.class,
                ping -> WatchFormat.fields("message", ping.message),
                (who, event) -> who + ": ping" + (String.valueOf(event.get("message")).isEmpty() ? ""
                        : " \"" + event.get("message") + "\""))));
    }
}
