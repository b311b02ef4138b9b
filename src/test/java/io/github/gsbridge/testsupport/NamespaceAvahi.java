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

    private final Path dir;
    private final PrivateBus bus;
    private final List<String> avahiCommand;
    private ManagedProcess avahi;
    private int starts;

    private NamespaceAvahi(Path dir, PrivateBus bus, List<String> avahiCommand) {
        this.dir = dir;
        this.bus = bus;
        this.avahiCommand = avahiCommand;
    }

    /** Starts the bus and Avahi in {@code ns}, announcing and browsing on {@code iface} only, host name {@code host}. */
    public static NamespaceAvahi start(Path dir, String ns, String iface, String host) throws IOException {
        RealComponents.requireExecutable(AVAHI_DAEMON);
        Files.createDirectories(dir);
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
        PrivateBus bus;
        try {
            bus = PrivateBus.startSystem(dir, prefix);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        try {
            List<String> avahiCommand = new ArrayList<>(prefix);
            avahiCommand.addAll(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                    "mount -t tmpfs tmpfs /run && mkdir /run/avahi-daemon && exec " + AVAHI_DAEMON + " -f \"$1\""
                            + " --no-chroot --no-drop-root --no-rlimits", "sh", avahiConfig.toAbsolutePath().toString()));
            NamespaceAvahi started = new NamespaceAvahi(dir, bus, avahiCommand);
            started.startDaemon();
            return started;
        } catch (IOException | RuntimeException | Error e) {
            bus.close();
            throw e;
        }
    }

    /** Starts avahi-daemon (again) and waits until it serves. */
    public void startDaemon() throws IOException {
        starts++;
        avahi = ManagedProcess.start("avahi@" + starts, avahiCommand,
                Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "DBUS_SYSTEM_BUS_ADDRESS", systemBusAddress()),
                null, dir.resolve("avahi-daemon-" + starts + ".log"));
        avahi.waitForLine(Pattern.compile("Server startup complete"), START);
    }

    /** Stops avahi-daemon; the system bus stays. */
    public void stopDaemon() {
        avahi.close();
    }

    /** For {@code DBUS_SYSTEM_BUS_ADDRESS} of the programs that should use this Avahi. */
    public String systemBusAddress() {
        return bus.address();
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
