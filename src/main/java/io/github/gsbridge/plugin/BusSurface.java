package io.github.gsbridge.plugin;

import java.util.List;

/** What a plugin adds to one device's object on the session bus. */
public record BusSurface(List<BusInterface> interfaces, List<GtkAction> actions) {
    public static final BusSurface NONE = new BusSurface(List.of(), List.of());

    public BusSurface {
        interfaces = List.copyOf(interfaces);
        actions = List.copyOf(actions);
    }
}
