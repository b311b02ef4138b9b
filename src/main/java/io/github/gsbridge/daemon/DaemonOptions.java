package io.github.gsbridge.daemon;

import io.github.gsbridge.credentials.IdentityLoader;
import io.github.gsbridge.desktop.NotificationKind;
import io.github.gsbridge.desktop.NotificationKinds;
import io.github.gsbridge.lan.LanConfig;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.plugin.PluginModule;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Options of {@code gsbridge daemon}; every default follows GSConnect and the KDE Connect ports. */
public record DaemonOptions(
        Optional<String> name,
        String deviceType,
        IdentityLoader.Choice identity,
        Path configDir,
        Path gsconnectDir,
        String dconfExecutable,
        LanConfig lan,
        boolean force,
        Set<NotificationKind> desktopNotifications,
        boolean mdns,
        OptionalInt protocol) {

    /** The usage, listing {@code kinds} under --no-notify. */
    public static String usage(NotificationKinds kinds) {
        return USAGE_BEFORE_KINDS + kinds.help(" ".repeat(26), "none at all") + USAGE_AFTER_KINDS;
    }

    private static final String USAGE_BEFORE_KINDS = """
            Usage: gsbridge daemon [OPTIONS]

            Runs gsbridge in the foreground until SIGTERM or SIGINT; logs go to stderr.

            Options:
              --name NAME           device name to announce (default: GSConnect's name, else the host name)
              --type TYPE           desktop, laptop, phone, tablet or tv (default: desktop)
              --identity SOURCE     auto (default), gsconnect or own:
                                      gsconnect = GSConnect's certificate and dconf pairings
                                      own       = gsbridge's own identity, generated on first start
                                      auto      = gsconnect when its certificate exists, else own
              --config-dir DIR      gsbridge's own files (default: $XDG_CONFIG_HOME/gsbridge)
              --gsconnect-dir DIR   GSConnect's files (default: $XDG_CONFIG_HOME/gsconnect)
              --dconf PATH          dconf program (default: dconf on PATH)
              --udp-port N          discovery port to bind (default: 1716)
              --peer-udp-port N     discovery port peers listen on (default: 1716)
              --tcp-ports N-M       link listener range (default: 1716-1764)
              --payload-ports N-M   payload listener range (default: 1739-1764)
              --broadcast ADDR      announce to ADDR; repeatable (default: every IPv4 network)
              --peer-tcp-ports N-M  link ports of peers we connect to (default: 1716-1764)
              --peer-payload-ports N-M
                                    payload ports of peers we fetch from (default: 1739-1764)
              --force               keep the ports even when GSConnect starts (it then cannot bind them)
              --no-notify KINDS     show no desktop notifications of these kinds (comma-separated):
            """;

    private static final String USAGE_AFTER_KINDS = """
              --notify KINDS        show desktop notifications of these kinds, also of those off by default
              --no-desktop-notifications
                                    the same as --no-notify phone
              --no-mdns             neither publish nor look for devices through Avahi (mDNS)
              --protocol 7|8        protocol version to speak (default: 8, or what the installed
                                      GSConnect speaks when using its identity, so that handing
                                      the ports back never looks like a downgrade to a phone)
              --verbose             debug logging
            """;

    /** Every kind of desktop notification: the desktop's own, then each plugin's in the catalog's order. */
    public static NotificationKinds notificationKinds(List<PluginModule> modules) {
        return new NotificationKinds(modules.stream().flatMap(module -> module.notificationKinds().stream()).toList());
    }

    /** As {@link #parse(List, Map, NotificationKinds)} with the kinds of the catalog's plugins. */
    public static DaemonOptions parse(List<String> args, Map<String, String> env) {
        return parse(args, env, notificationKinds(PluginCatalog.MODULES));
    }

    /**
     * Parses the arguments after {@code daemon}; {@code env} supplies the XDG defaults, {@code kinds}
     * the notification kinds --no-notify and --notify may name.
     */
    public static DaemonOptions parse(List<String> args, Map<String, String> env, NotificationKinds kinds) {
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        String xdgConfig = env.get("XDG_CONFIG_HOME");
        Path configHome = xdgConfig == null || xdgConfig.isBlank() ? home.resolve(".config") : Path.of(xdgConfig);

        Optional<String> name = Optional.empty();
        String type = "desktop";
        IdentityLoader.Choice identity = IdentityLoader.Choice.AUTO;
        Path configDir = configHome.resolve("gsbridge");
        Path gsconnectDir = configHome.resolve("gsconnect");
        String dconf = "dconf";
        LanConfig defaults = LanConfig.defaults();
        int udpPort = defaults.udpPort();
        int peerUdpPort = defaults.peerUdpPort();
        PortRange tcpPorts = defaults.tcpPorts();
        PortRange payloadPorts = defaults.payloadPorts();
        List<InetAddress> broadcast = new ArrayList<>();
        boolean force = false;
        Set<NotificationKind> desktopNotifications = new LinkedHashSet<>(kinds.shownByDefault());
        boolean mdns = true;
        OptionalInt protocol = OptionalInt.empty();
        PortRange peerTcpPorts = defaults.peerTcpPorts();
        PortRange peerPayloadPorts = defaults.peerPayloadPorts();

        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("--verbose")) {
                continue;
            }
            if (option.equals("--force")) {
                force = true;
                continue;
            }
            if (option.equals("--no-desktop-notifications")) {
                desktopNotifications.remove(NotificationKind.PHONE);
                continue;
            }
            if (option.equals("--no-mdns")) {
                mdns = false;
                continue;
            }
            if (!option.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument \"" + option + "\"");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args.get(++i);
            switch (option) {
                case "--name" -> name = Optional.of(value);
                case "--type" -> type = value;
                case "--identity" -> identity = parseChoice(value);
                case "--config-dir" -> configDir = Path.of(value);
                case "--gsconnect-dir" -> gsconnectDir = Path.of(value);
                case "--dconf" -> dconf = value;
                case "--no-notify" -> desktopNotifications.removeAll(kinds.parseList(value));
                case "--notify" -> desktopNotifications.addAll(kinds.parseList(value));
                case "--udp-port" -> udpPort = PortRange.parse(value).first();
                case "--peer-udp-port" -> peerUdpPort = PortRange.parse(value).first();
                case "--tcp-ports" -> tcpPorts = PortRange.parse(value);
                case "--payload-ports" -> payloadPorts = PortRange.parse(value);
                case "--broadcast" -> broadcast.add(parseAddress(value));
                case "--peer-tcp-ports" -> peerTcpPorts = PortRange.parse(value);
                case "--peer-payload-ports" -> peerPayloadPorts = PortRange.parse(value);
                case "--protocol" -> protocol = OptionalInt.of(parseProtocol(value));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new DaemonOptions(name, type, identity, configDir, gsconnectDir, dconf,
                new LanConfig(udpPort, peerUdpPort, tcpPorts, payloadPorts, broadcast, peerTcpPorts, peerPayloadPorts),
                force, Set.copyOf(desktopNotifications), mdns, protocol);
    }

    private static int parseProtocol(String value) {
        if (!value.equals("7") && !value.equals("8")) {
            throw new IllegalArgumentException("--protocol takes 7 or 8, not \"" + value + "\"");
        }
        return Integer.parseInt(value);
    }

    public static boolean verbose(List<String> args) {
        return args.contains("--verbose");
    }

    private static IdentityLoader.Choice parseChoice(String value) {
        try {
            return IdentityLoader.Choice.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--identity takes auto, gsconnect or own, not \"" + value + "\"");
        }
    }

    private static InetAddress parseAddress(String value) {
        // Literal addresses only: a host name here would mean a DNS lookup at every announcement.
        if (!value.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new IllegalArgumentException("--broadcast takes an IP address, not \"" + value + "\"");
        }
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--broadcast: invalid address \"" + value + "\"");
        }
    }
}
