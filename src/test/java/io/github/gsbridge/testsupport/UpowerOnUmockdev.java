package io.github.gsbridge.testsupport;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Debian's real upowerd on a private system bus, reading a fake sysfs that umockdev makes (a
 * laptop battery whose charge the test sets, or no battery at all): what a laptop's or a desktop's
 * UPower is to gsbridge, without touching this machine's power supplies.
 */
public final class UpowerOnUmockdev implements AutoCloseable {
    private static final String UPOWERD = "/usr/libexec/upowerd";
    private static final String DISPLAY_DEVICE = "/org/freedesktop/UPower/devices/DisplayDevice";
    private static final String DEVICE = "org.freedesktop.UPower.Device";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final PrivateBus bus;
    private final Process process;
    private final OutputStream commands;
    private final DBusConnection client;

    private UpowerOnUmockdev(PrivateBus bus, Process process, DBusConnection client) {
        this.bus = bus;
        this.process = process;
        this.commands = process.getOutputStream();
        this.client = client;
    }

    /** A laptop whose battery is at {@code percent} and {@code status} (Charging, Discharging, Full). */
    public static UpowerOnUmockdev laptop(Path dir, int percent, String status) throws Exception {
        return start(dir, List.of("laptop", String.valueOf(percent), status));
    }

    /** A computer without a battery. */
    public static UpowerOnUmockdev desktop(Path dir) throws Exception {
        return start(dir, List.of("desktop"));
    }

    private static UpowerOnUmockdev start(Path dir, List<String> args) throws Exception {
        RealComponents.requireExecutable(UPOWERD);
        String wrapper = RealComponents.requireOnPath("umockdev-wrapper");
        String gjs = RealComponents.requireOnPath("gjs");
        Files.createDirectories(dir);
        Path script = dir.resolve("upower-on-umockdev.js");
        try (InputStream in = Objects.requireNonNull(
                UpowerOnUmockdev.class.getResourceAsStream("upower-on-umockdev.js"))) {
            Files.copy(in, script);
        }
        PrivateBus bus = PrivateBus.startSystem(dir.resolve("system-bus"), List.of());
        Process process = null;
        DBusConnection client = null;
        try {
            ProcessBuilder builder = new ProcessBuilder(wrapper, gjs, script.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("upowerd.log").toFile());
            builder.command().addAll(args);
            builder.environment().put("DBUS_SYSTEM_BUS_ADDRESS", bus.address());
            process = builder.start();
            client = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build();
            UpowerOnUmockdev upower = new UpowerOnUmockdev(bus, process, client);
            upower.awaitDisplayDevice(properties -> true);
            return upower;
        } catch (Exception | Error e) {
            if (client != null) {
                client.disconnect();
            }
            if (process != null) {
                process.destroyForcibly();
            }
            bus.close();
            throw e;
        }
    }

    /** For {@code DBUS_SYSTEM_BUS_ADDRESS} of the programs that should see this UPower. */
    public String systemBusAddress() {
        return bus.address();
    }

    /** Changes the battery as the kernel would, and returns once UPower shows the change. */
    public void set(int percent, String status) throws Exception {
        commands.write((percent + " " + status + "\n").getBytes(StandardCharsets.UTF_8));
        commands.flush();
        awaitDisplayDevice(properties -> Double.valueOf(percent).equals(properties.get("Percentage").getValue()));
    }

    private void awaitDisplayDevice(java.util.function.Predicate<Map<String, Variant<?>>> match) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Variant<?>> last = null;
        String error = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("upowerd on umockdev ended with " + process.exitValue() + "; see its log");
            }
            try {
                last = client.getRemoteObject("org.freedesktop.UPower", DISPLAY_DEVICE, Properties.class).GetAll(DEVICE);
                if (match.test(last)) {
                    return;
                }
            } catch (DBusExecutionException | DBusException e) {
                error = e.getMessage();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("UPower's DisplayDevice did not show the change within " + WAIT + ": " + last
                + (error == null ? "" : " (" + error + ")"));
    }

    @Override
    public void close() throws InterruptedException {
        client.disconnect();
        try {
            // upowerd stops when its commands end.
            commands.close();
        } catch (IOException e) {
            process.destroy();
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        bus.close();
    }
}
