package io.github.gsbridge.realpeer;

import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.GsconnectService;
import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.NamespacePair;
import io.github.gsbridge.testsupport.PortSquatter;
import io.github.gsbridge.testsupport.RealComponents;
import io.github.gsbridge.testsupport.Stage;
import io.github.gsbridge.testsupport.TwoHosts;
import io.github.gsbridge.tls.LocalCertificate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Port 1716 changes hands between gsbridge and a program that behaves like GSConnect 54 (owns
 * org.gnome.Shell.Extensions.GSConnect, binds UDP and TCP 1716 exclusively), inside a network
 * namespace of the test's own, while a sampler checks that two processes never hold 1716 at once.
 */
class HandoverTest {
    private static final String GSCONNECT_NAME = "org.gnome.Shell.Extensions.GSConnect";
    /** The promise: ports change hands within 2 seconds. */
    private static final Duration HANDOVER = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final Stage<TwoHosts> stage = Stage.eachTest(s -> {
        RealComponents.requireOnPath("ss");
        return TwoHosts.open(s, dir -> GsconnectHome.create(dir, LocalCertificate.newDeviceId(), "handover-test"));
    });

    private NamespacePair ns;
    private GsconnectHome gsconnect;

    @BeforeEach
    void setUp() {
        ns = stage.get().ns();
        gsconnect = stage.get().gsconnect();
    }

    /** A PortSquatter in namespace B, on the test's session bus. */
    private final class Squatter implements AutoCloseable {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final Writer stdin;

        Squatter(boolean asGsconnect) throws Exception {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(ns.execPrefix(ns.nsB()));
            command.addAll(List.of(java, "-cp", System.getProperty("java.class.path"), PortSquatter.class.getName()));
            if (asGsconnect) {
                command.addAll(List.of("--bus-name", GSCONNECT_NAME));
            }
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().putAll(gsconnect.environment());
            process = builder.start();
            stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (java.io.IOException e) {
                    // exited
                }
            });
            reader.setDaemon(true);
            reader.start();
            stage.track(this);
        }

        long awaitMillis(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (String line : lines) {
                    if (line.startsWith(prefix + " ")) {
                        return Long.parseLong(line.substring(prefix.length() + 1));
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("squatter printed no " + prefix + " within " + timeout + ": " + lines);
        }

        void quit() throws Exception {
            stdin.write("quit\n");
            stdin.flush();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "squatter exits");
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Samples who holds port 1716 in namespace B (ss -p), and remembers any moment with two holders. */
    private final class Sampler implements AutoCloseable {
        private static final Pattern PID = Pattern.compile("pid=(\\d+)");
        final List<String> conflicts = new CopyOnWriteArrayList<>();
        volatile int samples;
        private volatile boolean stop;
        private final Thread thread = new Thread(this::run, "port-sampler");

        Sampler() {
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (!stop) {
                ManagedProcess.Result result = ns.exec(ns.nsB(), Duration.ofSeconds(5),
                        "ss", "-H", "-lnutp", "sport", "=", ":1716");
                Set<String> pids = new TreeSet<>();
                Matcher matcher = PID.matcher(result.stdout());
                while (matcher.find()) {
                    pids.add(matcher.group(1));
                }
                if (pids.size() > 1) {
                    conflicts.add(result.stdout());
                }
                samples++;
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(10_000);
        }
    }

    private GsbridgeProcess startGsbridge(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--identity", "gsconnect"));
        args.addAll(List.of(extra));
        return stage.track(GsbridgeProcess.start(stage.dir().resolve("gsbridge"), ns.execPrefix(ns.nsB()),
                gsconnect.environment(), args));
    }

    @Test
    void portsChangeHandsWithGsconnectBothWays() throws Exception {
        Squatter first = new Squatter(true);
        first.awaitMillis("BOUND", WAIT);
        GsbridgeProcess gsbridge = startGsbridge();
        gsbridge.awaitState("waiting", "GSConnect is running", WAIT);

        try (Sampler sampler = new Sampler()) {
            long left = System.nanoTime();
            first.quit();
            gsbridge.awaitState("active", HANDOVER);
            System.out.printf("gsbridge active %d ms after GSConnect left%n", (System.nanoTime() - left) / 1_000_000);

            Squatter second = new Squatter(true);
            long named = second.awaitMillis("NAME", WAIT);
            long bound = second.awaitMillis("BOUND", WAIT);
            System.out.printf("GSConnect bound 1716 %d ms after taking its bus name%n", bound - named);
            assertTrue(bound - named <= HANDOVER.toMillis(), "ports freed within 2 s: " + (bound - named) + " ms");
            gsbridge.awaitState("waiting", "GSConnect is running", HANDOVER);
            Thread.sleep(500);
            sampler.close();
            assertTrue(sampler.samples > 5, "the sampler ran: " + sampler.samples);
            assertEquals(List.of(), sampler.conflicts, "two processes held 1716 at once");
        }
    }

    @Test
    void realGsconnect54TakesAndGivesBackThePorts() throws Exception {
        GsconnectService.requireInstalled();
        GsconnectService gsconnectService = stage.track(
                GsconnectService.start(stage.dir().resolve("gsconnect-service"), ns, ns.nsB(), gsconnect));
        GsbridgeProcess gsbridge = startGsbridge();
        gsbridge.awaitState("waiting", "GSConnect is running", WAIT);

        try (Sampler sampler = new Sampler()) {
            gsconnectService.stopService();
            gsbridge.awaitState("active", HANDOVER);
            // GSConnect 54 binds once at start and gives up if 1716 is taken: that it holds the ports
            // afterwards shows gsbridge let go in time.
            gsconnectService.startService();
            gsbridge.awaitState("waiting", "GSConnect is running", HANDOVER);
            awaitHolder("gjs", WAIT);
            Thread.sleep(500);
            sampler.close();
            assertTrue(sampler.samples > 5, "the sampler ran: " + sampler.samples);
            assertEquals(List.of(), sampler.conflicts, "two processes held 1716 at once");
        }
    }

    /** Waits until {@code program} holds both UDP and TCP 1716 in namespace B. */
    private void awaitHolder(String program, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = ns.exec(ns.nsB(), Duration.ofSeconds(5), "ss", "-H", "-lnutp", "sport", "=", ":1716").stdout();
            long held = last.lines().filter(l -> l.contains("\"" + program + "\"")).count();
            if (held >= 2) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(program + " does not hold UDP and TCP 1716: " + last);
    }

    @Test
    void forceKeepsThePortsWhenGsconnectStarts() throws Exception {
        GsbridgeProcess gsbridge = startGsbridge("--force");
        gsbridge.awaitState("active", WAIT);
        Squatter gsconnectService = new Squatter(true);
        gsconnectService.awaitMillis("NAME", WAIT);
        Thread.sleep(1000);
        assertEquals("active", gsbridge.command("state").get("state").asText());
        assertTrue(gsconnectService.lines.stream().noneMatch(l -> l.startsWith("BOUND")), "GSConnect could not bind");
    }

    @Test
    void portHeldByAnotherProgramIsNamedAndWaitedFor() throws Exception {
        Squatter holder = new Squatter(false);
        holder.awaitMillis("BOUND", WAIT);
        GsbridgeProcess gsbridge = startGsbridge();
        String reason = gsbridge.awaitState("waiting", "is held by", WAIT);
        assertTrue(reason.contains("UDP port 1716 is held by java (pid " + holder.process.pid() + ")"), reason);
        assertTrue(reason.contains("TCP port 1716 is held by java (pid " + holder.process.pid() + ")"), reason);
        holder.quit();
        gsbridge.awaitState("active", WAIT);
    }

    @Test
    void releaseAndTakeoverOnRequest() throws Exception {
        GsbridgeProcess gsbridge = startGsbridge();
        gsbridge.awaitState("active", WAIT);
        gsbridge.command("release");
        gsbridge.awaitState("waiting", "released", HANDOVER);
        Squatter gsconnectService = new Squatter(true);
        gsconnectService.awaitMillis("BOUND", WAIT);
        gsconnectService.quit();
        // GSConnect came and went: gsbridge takes the ports again by itself.
        gsbridge.awaitState("active", HANDOVER);
        gsbridge.command("release");
        gsbridge.awaitState("waiting", "released", HANDOVER);
        gsbridge.command("takeover");
        gsbridge.awaitState("active", HANDOVER);
    }
}
