package io.github.gsbridge.cli;

import io.github.gsbridge.daemon.DaemonOptions;
import io.github.gsbridge.daemon.PluginCatalog;
import io.github.gsbridge.desktop.DesktopFace;
import io.github.gsbridge.desktop.DesktopLauncher;
import io.github.gsbridge.desktop.DesktopNotifier;
import io.github.gsbridge.desktop.NotificationKind;
import io.github.gsbridge.desktop.NotificationKinds;
import io.github.gsbridge.desktop.ShownOnDesktop;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginContext;
import io.github.gsbridge.plugin.PluginModule;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plugin's kinds of desktop notification come from its package alone: the daemon's help lists
 * them, --no-notify and --notify take their names, and the desktop shows them as the user chose.
 */
class PluginNotificationKindsTest {
    private static final Map<String, String> ENV = Map.of("HOME", "/home/someone");
    private static final NotificationKind STORM = new NotificationKind("storm", "storm warnings", true);
    private static final NotificationKind DRIZZLE = new NotificationKind("drizzle", "every drop of rain", false);

    /** A plugin package of its own, as a new capability would be. */
    private static final class WeatherModule implements PluginModule {
        @Override
        public String name() {
            return "weather";
        }

        @Override
        public Plugin create(PluginContext context) {
            throw new UnsupportedOperationException("only its declarations are used here");
        }

        @Override
        public List<NotificationKind> notificationKinds() {
            return List.of(STORM, DRIZZLE);
        }
    }

    private record Weather(String deviceId, NotificationKind kind, String body) implements ShownOnDesktop {
        @Override
        public String title(String deviceName) {
            return "Weather at " + deviceName;
        }
    }

    private static NotificationKinds kinds() {
        List<PluginModule> modules = new ArrayList<>(PluginCatalog.MODULES);
        modules.add(new WeatherModule());
        return DaemonOptions.notificationKinds(modules);
    }

    private record Run(int status, String out, String err) { }

    private static Run daemon(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), ENV, false, Path.of("/"));
        int status = DaemonCommand.run(List.of(args), console, kinds());
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theDaemonsHelpListsAPluginsKindsAfterTheOthers() {
        Run help = daemon("--help");
        assertEquals(0, help.status());
        String kinds = help.out().substring(help.out().indexOf("--no-notify KINDS"), help.out().indexOf("--notify KINDS"));
        assertTrue(kinds.contains("""
                                          battery  = a device's battery running low
                                          storm    = storm warnings
                                          drizzle  = every drop of rain (off unless --notify names it)
                                          all      = none at all
                """), help.out());
    }

    @Test
    void aPluginsKindIsOnOrOffAsDeclaredUntilTheUserSaysOtherwise() {
        Set<NotificationKind> shown = DaemonOptions.parse(List.of(), ENV, kinds()).desktopNotifications();
        assertTrue(shown.contains(STORM) && shown.contains(NotificationKind.PAIRING), shown.toString());
        assertFalse(shown.contains(DRIZZLE), shown.toString());

        Set<NotificationKind> chosen = DaemonOptions.parse(List.of("--no-notify", "storm,ping", "--notify", "drizzle"),
                ENV, kinds()).desktopNotifications();
        assertFalse(chosen.contains(STORM), chosen.toString());
        assertTrue(chosen.contains(DRIZZLE) && chosen.contains(NotificationKind.PHONE), chosen.toString());
        assertEquals(Set.of(), DaemonOptions.parse(List.of("--no-notify", "all"), ENV, kinds()).desktopNotifications());
    }

    @Test
    void anUnknownKindIsRefusedInTheUsersWords() {
        Run refused = daemon("--no-notify", "storm,hail");
        assertEquals(2, refused.status());
        assertTrue(refused.err().startsWith("gsbridge daemon: \"hail\" is no kind of notification; the kinds are "
                + "pairing, received, sent, phone, ping, battery, storm, drizzle (or all)\n"), refused.err());
        assertFalse(refused.err().contains("Exception"), refused.err());
    }

    @Test
    void twoKindsOfOneNameAreAMistakeOfThePlugins() {
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> new NotificationKinds(List.of(STORM, new NotificationKind("storm", "again", true))));
        assertEquals("two kinds of notification are called \"storm\"", clash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NotificationKind("all", "every kind", true));
        assertThrows(IllegalArgumentException.class, () -> new NotificationKind("a,b", "two", true));
    }

    @Test
    void theDesktopShowsAPluginsKindOnlyWhenTheUserWantsIt() throws Exception {
        BlockingQueue<String> shown = new LinkedBlockingQueue<>();
        DesktopNotifier notifier = new DesktopNotifier() {
            @Override
            public int show(Notice notice) {
                shown.add(notice.body());
                return 1;
            }

            @Override
            public void close(int id) {
            }
        };
        EventBus events = new EventBus();
        Set<NotificationKind> wanted = DaemonOptions.parse(List.of("--no-notify", "storm", "--notify", "drizzle"),
                ENV, kinds()).desktopNotifications();
        try (DesktopFace face = new DesktopFace(notifier, new DesktopLauncher(Map.of()), events, id -> Optional.empty(),
                wanted)) {
            Stream.of(new Weather("phone", STORM, "gale"), new Weather("phone", DRIZZLE, "drip"))
                    .forEach(events::publish);
            // Shown in order on one thread: once the drizzle is shown, the storm was passed over.
            assertEquals("drip", shown.poll(10, TimeUnit.SECONDS));
            assertEquals(List.of(), List.copyOf(shown));
        }
    }
}
