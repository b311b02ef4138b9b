package io.github.gsbridge.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's dunst, a real notification server, under its own Xvfb on a test's session bus. What it
 * shows is logged by a dunst rule script; a button is pressed as a user would, through dunst's
 * context menu, whose "dmenu" is a script that picks the entry the test names.
 */
public final class Dunst implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Pattern ENTRY = Pattern.compile("(\\d+)\t(.*)\t(.*)");

    /** One notification as dunst displayed it (markup stripped, line breaks as spaces). */
    public record Shown(int id, String summary, String body) { }

    private final Path dir;
    private final Map<String, String> env;
    private final ManagedProcess xvfb;
    private final ManagedProcess dunst;

    private Dunst(Path dir, Map<String, String> env, ManagedProcess xvfb, ManagedProcess dunst) {
        this.dir = dir;
        this.env = env;
        this.xvfb = xvfb;
        this.dunst = dunst;
    }

    /** Starts Xvfb and dunst on the bus at {@code busAddress}; returns once dunst answers. */
    public static Dunst start(Path dir, String busAddress) throws Exception {
        String dunstProgram = RealComponents.requireOnPath("dunst");
        RealComponents.requireOnPath("dunstctl");
        String xvfbProgram = RealComponents.requireOnPath("Xvfb");
        Files.createDirectories(dir);
        Path shown = dir.resolve("shown.log");
        Path menu = dir.resolve("menu.log");
        Path want = dir.resolve("want");
        Files.writeString(shown, "");
        script(dir.resolve("shown.sh"), "printf '%s\\t%s\\t%s\\n' \"$DUNST_ID\" \"$DUNST_SUMMARY\" "
                + "\"$(printf '%s' \"$DUNST_BODY\" | tr '\\n\\t' '  ')\" >>" + shown + "\n");
        script(dir.resolve("pick.sh"), "tee -a " + menu + " | grep -F -- \"$(cat " + want + ")\" | head -n 1\n");
        Path config = dir.resolve("dunstrc");
        Files.writeString(config, """
                [global]
                    dmenu = %s
                    browser = /bin/false
                    show_indicators = no

                [log]
                    appname = "*"
                    script = %s
                """.formatted(dir.resolve("pick.sh"), dir.resolve("shown.sh")));
        int display = GsconnectService.freeDisplay();
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", dir.toString());
        env.put("DISPLAY", ":" + display);
        env.put("DBUS_SESSION_BUS_ADDRESS", busAddress);
        ManagedProcess xvfb = ManagedProcess.start("xvfb", List.of(xvfbProgram, ":" + display, "-nolisten", "tcp"),
                env, dir, dir.resolve("xvfb.log"));
        ManagedProcess dunst = null;
        try {
            waitFor(() -> Files.exists(Path.of("/tmp/.X11-unix/X" + display)), "Xvfb :" + display);
            dunst = ManagedProcess.start("dunst", List.of(dunstProgram, "-config", config.toString()), env, dir,
                    dir.resolve("dunst.log"));
            Dunst started = new Dunst(dir, env, xvfb, dunst);
            waitFor(() -> started.dunstctl("is-paused").ok(), "dunst on " + busAddress);
            return started;
        } catch (Exception | Error e) {
            if (dunst != null) {
                dunst.close();
            }
            xvfb.close();
            throw e;
        }
    }

    /** What dunst displayed so far, oldest first. */
    public List<Shown> shown() throws IOException {
        List<Shown> all = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("shown.log"))) {
            Matcher m = ENTRY.matcher(line);
            if (m.matches()) {
                all.add(new Shown(Integer.parseInt(m.group(1)), m.group(2), m.group(3)));
            }
        }
        return all;
    }

    /** Waits until dunst displayed a notification matching {@code match}. */
    public Shown awaitShown(Predicate<Shown> match) throws Exception {
        Shown[] found = new Shown[1];
        waitFor(() -> {
            for (Shown shown : shown()) {
                if (match.test(shown)) {
                    found[0] = shown;
                    return true;
                }
            }
            return false;
        }, "a matching notification; dunst showed " + shown());
        return found[0];
    }

    /** Presses the button {@code key} of notification {@code id}, through dunst's context menu. */
    public void press(int id, String key) throws Exception {
        Files.writeString(dir.resolve("want"), "[" + id + "," + key + "]");
        dunstctl("context").assertOk("dunstctl context");
    }

    /** Closes the newest notification as the user would (NotificationClosed reason 2). */
    public void dismissNewest() {
        dunstctl("close").assertOk("dunstctl close");
    }

    /** Whether the notification is still displayed (closed ones go to dunst's history). */
    public boolean isDisplayed(int id) {
        String history = dunstctl("history").stdout().replaceAll("\\s", "");
        return !history.contains("\"id\":{\"type\":\"i\",\"data\":" + id + "}");
    }

    public void awaitClosed(int id) throws Exception {
        waitFor(() -> !isDisplayed(id), "notification " + id + " to close");
    }

    private ManagedProcess.Result dunstctl(String... args) {
        List<String> command = new ArrayList<>(List.of("dunstctl"));
        command.addAll(List.of(args));
        return ManagedProcess.run(command, env, Duration.ofSeconds(10));
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void waitFor(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Override
    public void close() {
        dunst.close();
        xvfb.close();
    }
}
