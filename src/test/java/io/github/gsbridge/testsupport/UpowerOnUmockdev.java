package io.github.gsbridge.testsupport;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
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

    private final Path dir;
    private final PrivateBus bus;
    private final DBusConnection client;
    /** upowerd's, while it runs; it may be stopped and started again on the same bus. */
    private Process process;
    private OutputStream commands;

    private UpowerOnUmockdev(Path dir, PrivateBus bus, DBusConnection client) {
        this.dir = dir;
        this.bus = bus;
        this.client = client;
    }

    /** A laptop whose battery is at {@code percent} and {@code status} (Charging, Discharging, Full). */
    public static UpowerOnUmockdev laptop(Path dir, int percent, String status) throws Exception {
        UpowerOnUmockdev upower = notStarted(dir);
        upower.startWith(laptopArguments(percent, status));
        return upower;
    }

    /** A computer without a battery. */
    public static UpowerOnUmockdev desktop(Path dir) throws Exception {
        UpowerOnUmockdev upower = notStarted(dir);
        upower.startWith(List.of("desktop"));
        return upower;
    }

    /** The system bus alone, as at boot before UPower has started; {@link #startLaptop} starts it. */
    public static UpowerOnUmockdev notStarted(Path dir) throws Exception {
        RealComponents.requireExecutable(UPOWERD);
        RealComponents.requireOnPath("umockdev-wrapper");
        RealComponents.requireOnPath("gjs");
        Files.createDirectories(dir);
        Path script = dir.resolve("upower-on-umockdev.js");
        try (InputStream in = Objects.requireNonNull(
                UpowerOnUmockdev.class.getResourceAsStream("upower-on-umockdev.js"))) {
            Files.copy(in, script);
        }
        PrivateBus bus = PrivateBus.startSystem(dir.resolve("system-bus"), List.of());
        try {
            return new UpowerOnUmockdev(dir, bus,
                    DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build());
        } catch (DBusException | RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    private static List<String> laptopArguments(int percent, String status) {
        return List.of("laptop", String.valueOf(percent), status);
    }

    /** Starts upowerd (again) on this bus, for a laptop as {@link #laptop} makes; returns once it answers. */
    public void startLaptop(int percent, String status) throws Exception {
        startWith(laptopArguments(percent, status));
    }

    private void startWith(List<String> args) throws Exception {
        if (process != null) {
            throw new IllegalStateException("upowerd already runs");
        }
        ProcessBuilder builder = new ProcessBuilder(RealComponents.requireOnPath("umockdev-wrapper"),
                RealComponents.requireOnPath("gjs"), dir.resolve("upower-on-umockdev.js").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("upowerd.log").toFile()));
        builder.command().addAll(args);
        builder.environment().put("DBUS_SYSTEM_BUS_ADDRESS", bus.address());
        process = builder.start();
        commands = process.getOutputStream();
        try {
            awaitDisplayDevice(properties -> true);
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    /** Stops upowerd, as when it ends or crashes; the bus stays. Returns once UPower's name is gone from the bus. */
    public void stop() throws Exception {
        try {
            // upowerd stops when its commands end.
            commands.close();
        } catch (IOException e) {
            process.destroy();
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        process = null;
        DBus daemon = client.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (daemon.NameHasOwner("org.freedesktop.UPower")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("UPower still owns its name " + WAIT + " after upowerd was stopped");
            }
            Thread.sleep(50);
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
    public void close() throws Exception {
        try {
            if (process != null) {
                stop();
            }
        } finally {
            client.disconnect();
            bus.close();
        }
    }
}
