package io.github.gsbridge.plugin;

import io.github.gsbridge.desktop.NotificationKind;

import java.util.List;

/**
 * One capability, whole: the daemon's plugin, the commands the command line offers for it, and how
 * {@code gsbridge watch} shows it. Each plugin package has one; {@code daemon/PluginCatalog}
 * lists them, and nothing else names a plugin. See {@code plugin/README.md}.
 */
public interface PluginModule {
    /** Short name, as {@link Plugin#name()}. */
    String name();

    /** The daemon's side. */
    Plugin create(PluginContext context);

    /** picocli subcommands (objects of {@code @Command} classes), added to {@code gsbridge}. */
    default List<Object> commands() {
        return List.of();
    }

    /**
     * The kinds of desktop notification its events show ({@code ShownOnDesktop.kind()}): they are
     * listed by {@code gsbridge daemon --help}, and {@code --no-notify} switches them off.
     */
    default List<NotificationKind> notificationKinds() {
        return List.of();
    }

    default WatchFormat watch() {
        return WatchFormat.NONE;
    }
}
