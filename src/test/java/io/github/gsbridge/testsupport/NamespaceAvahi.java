package io.github.gsbridge.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Debian's real avahi-daemon serving one network namespace, on a private system bus of its own:
 * what a desktop's Avahi is to gsbridge. Its {@code /run/avahi-daemon} (pid file, socket) is a
 * private tmpfs in a mount namespace of its own, since {@code ip netns exec} shares the host's
 * {@code /run}; it runs without chroot and without dropping root, limited to one interface.
 */
public final class NamespaceAvahi implements AutoCloseable {
    public static final String AVAHI_DAEMON = "/usr/sbin/avahi-daemon";
    private static final Duration START = Duration.ofSeconds(15);

    private final Path socket;
    private final ManagedProcess bus;
    private final ManagedProcess avahi;

    private NamespaceAvahi(Path socket, ManagedProcess bus, ManagedProcess avahi) {
        this.socket = socket;
        this.bus = bus;
        this.avahi = avahi;
    }

    /** Starts the bus and Avahi in {@code ns}, announcing and browsing on {@code iface} only, host name {@code host}. */
    public static NamespaceAvahi start(Path dir, String ns, String iface, String host) throws IOException {
        RealComponents.requireExecutable(AVAHI_DAEMON);
        String dbusDaemon = RealComponents.requireOnPath("dbus-daemon");
        Files.createDirectories(dir);
        Path socket = dir.toAbsolutePath().resolve("system_bus");
        Path busConfig = dir.resolve("system-bus.conf");
        // Everyone may own and call everything: the only clients are the test's own programs.
        Files.writeString(busConfig, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>system</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow user="*"/>
                    <allow own="*"/>
                    <allow send_destination="*"/>
                    <allow receive_sender="*"/>
                  </policy>
                </busconfig>
                """.formatted(socket));
        Path avahiConfig = dir.resolve("avahi-daemon.conf");
        Files.writeString(avahiConfig, """
                [server]
                host-name=%s
                use-ipv4=yes
                use-ipv6=yes
                allow-interfaces=%s
                enable-dbus=yes
                [wide-area]
                enable-wide-area=no
                [publish]
                publish-hinfo=no
                publish-workstation=no
                """.formatted(host, iface));
        List<String> prefix = NamespacePair.execPrefixFor(ns);
        List<String> busCommand = new ArrayList<>(prefix);
        busCommand.addAll(List.of(dbusDaemon, "--config-file=" + busConfig.toAbsolutePath(), "--nofork", "--nopidfile"));
        ManagedProcess bus = ManagedProcess.start("system-bus@" + ns, busCommand, null, null,
                dir.resolve("system-bus.log"));
        try {
            long deadline = System.nanoTime() + START.toNanos();
            while (!Files.exists(socket)) {
                if (!bus.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("the private system bus did not start\n" + bus.tail(20));
                }
                ManagedProcess.pause(20);
            }
            List<String> avahiCommand = new ArrayList<>(prefix);
            avahiCommand.addAll(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                    "mount -t tmpfs tmpfs /run && mkdir /run/avahi-daemon && exec " + AVAHI_DAEMON + " -f \"$1\""
                            + " --no-chroot --no-drop-root --no-rlimits", "sh", avahiConfig.toAbsolutePath().toString()));
            ManagedProcess avahi = ManagedProcess.start("avahi@" + ns, avahiCommand,
                    Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + socket),
                    null, dir.resolve("avahi-daemon.log"));
            avahi.waitForLine(Pattern.compile("Server startup complete"), START);
            return new NamespaceAvahi(socket, bus, avahi);
        } catch (IOException | RuntimeException | Error e) {
            bus.close();
            throw e;
        }
    }

    /** For {@code DBUS_SYSTEM_BUS_ADDRESS} of the programs that should use this Avahi. */
    public String systemBusAddress() {
        return "unix:path=" + socket;
    }

    public ManagedProcess log() {
        return avahi;
    }

    @Override
    public void close() {
        avahi.close();
        bus.close();
    }
}
