package io.github.gsbridge.plugin;

import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.PacketRouter;
import io.github.gsbridge.wire.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The loaded plugins: our capabilities, and packet routing by type. */
public final class Plugins implements PacketRouter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);
    private final List<Plugin> plugins;
    private final Set<String> incoming;
    private final Set<String> outgoing;

    public Plugins(List<Plugin> plugins) {
        this.plugins = List.copyOf(plugins);
        Set<String> in = new TreeSet<>();
        Set<String> out = new TreeSet<>();
        for (Plugin plugin : plugins) {
            in.addAll(plugin.incomingPacketTypes());
            out.addAll(plugin.outgoingPacketTypes());
        }
        this.incoming = Collections.unmodifiableSet(in);
        this.outgoing = Collections.unmodifiableSet(out);
    }

    /** Creates the plugins of {@code modules}. */
    public static Plugins of(List<PluginModule> modules, PluginContext context) {
        return new Plugins(modules.stream().map(module -> module.create(context)).toList());
    }

    public List<Plugin> all() {
        return plugins;
    }

    /** The plugin of class {@code type}, for code that drives one directly (tests, benchmarks). */
    @SuppressWarnings("unchecked")
    public <T extends Plugin> T get(Class<T> type) {
        for (Plugin plugin : plugins) {
            if (type.isInstance(plugin)) {
                return (T) plugin;
            }
        }
        throw new IllegalArgumentException("no plugin " + type.getSimpleName());
    }

    @Override
    public Set<String> incomingTypes() {
        return incoming;
    }

    @Override
    public Set<String> outgoingTypes() {
        return outgoing;
    }

    /** kdeconnect-kde's rule: a plugin applies when the device sends what it takes or takes what it sends. */
    public static boolean appliesTo(Plugin plugin, Device device) {
        return !Collections.disjoint(plugin.incomingPacketTypes(), device.outgoingCapabilities())
                || !Collections.disjoint(plugin.outgoingPacketTypes(), device.incomingCapabilities());
    }

    @Override
    public void connected(Device device) {
        for (Plugin plugin : plugins) {
            if (appliesTo(plugin, device)) {
                try {
                    plugin.connected(device);
                } catch (RuntimeException e) {
                    LOG.warn("{}: plugin {} failed on connect", device, plugin.name(), e);
                }
            }
        }
    }

    @Override
    public void disconnected(Device device) {
        for (Plugin plugin : plugins) {
            try {
                plugin.disconnected(device);
            } catch (RuntimeException e) {
                LOG.warn("{}: plugin {} failed on disconnect", device, plugin.name(), e);
            }
        }
    }

    @Override
    public void route(Device device, Packet packet) {
        for (Plugin plugin : plugins) {
            if (plugin.incomingPacketTypes().contains(packet.type())) {
                plugin.handle(device, packet);
            }
        }
    }

    /** Stops every plugin's threads; one that fails to stop does not keep the others running. */
    @Override
    public void close() {
        for (Plugin plugin : plugins) {
            try {
                plugin.close();
            } catch (RuntimeException e) {
                LOG.warn("plugin {} failed to stop", plugin.name(), e);
            }
        }
    }
}
