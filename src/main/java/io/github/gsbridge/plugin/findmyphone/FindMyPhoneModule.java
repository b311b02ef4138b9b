package io.github.gsbridge.plugin.findmyphone;

import io.github.gsbridge.plugin.DeviceCommand;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginContext;
import io.github.gsbridge.plugin.PluginModule;
import picocli.CommandLine.Command;

import java.util.List;

/** Find my phone: {@code gsbridge ring} and Device1.Ring. */
public final class FindMyPhoneModule implements PluginModule {
    @Override
    public String name() {
        return "findmyphone";
    }

    @Override
    public Plugin create(PluginContext context) {
        return new FindMyPhonePlugin();
    }

    @Override
    public List<Object> commands() {
        return List.of(new Ring());
    }

    @Command(name = "ring", description = "Makes DEV ring.")
    static final class Ring extends DeviceCommand {
        @Override
        protected void run() throws Exception {
            remote(FindMyPhoneDevice1.class).Ring();
            cli.out().println("Ringing " + target().name() + ".");
        }
    }
}
