package io.github.gsbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.plugin.share.SharePlugin;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.BusFixture;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.tls.Certificates;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client commands against a daemon serving a private bus ("alpha", with "beta" as the
 * device), each run as {@code gsbridge ARGS} would run, with the bus as the session bus.
 */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private BusFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new BusFixture(dir.resolve("fixture"));
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n[stdout]\n" + out + "[stderr]\n" + err;
        }
    }

    private Run gsbridge(String... args) {
        return gsbridge(Map.of("DBUS_SESSION_BUS_ADDRESS", fx.bus.address()), args);
    }

    private Run gsbridge(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false, dir));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run ok(Run run) {
        assertEquals(0, run.status(), run.toString());
        return run;
    }

    private static Run failed(Run run, String message) {
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains(message), run.toString());
        return run;
    }

    @Test
    void whenNoDaemonRunsItSaysHowToStartOne() {
        fx.service.close();
        Run run = failed(gsbridge("devices"), "gsbridge is not running on this session bus");
        assertTrue(run.err().contains("systemctl --user start gsbridge") && run.err().contains("gsbridge daemon"),
                run.err());
        failed(gsbridge(Map.of(), "status"), "no D-Bus session bus");
    }

    @Test
    void usageMistakesExitWithTwo() {
        for (String[] args : List.of(new String[] {}, new String[] {"frobnicate"}, new String[] {"ping"},
                new String[] {"devices", "--yaml"}, new String[] {"devices", "extra"}, new String[] {"ping", "-d"},
                new String[] {"notify", "-d", "beta", "--title", "t"}, new String[] {"share", "-d", "beta"})) {
            Run run = gsbridge(args);
            assertEquals(2, run.status(), List.of(args) + "\n" + run);
            assertTrue(run.err().contains("Usage: gsbridge"), run.toString());
        }
    }

    @Test
    void connectAsksAHostRemembersItListsItAndForgetsIt() throws Exception {
        // gamma listens where alpha never announces: only "connect" brings them together.
        PortRange gammaPorts = Ports.freeRange(7);
        String address = "127.0.0.1:" + gammaPorts.first();
        try (LoopbackNode gamma = LoopbackNode.startStandard(dir, "gamma", gammaPorts, Ports.freeRange(1).first())) {
            assertTrue(ok(gsbridge("connect", address)).out().contains("gsbridge connect --forget " + address));
            gamma.awaitConnected(fx.alpha);
        }
        assertEquals(address + "\n", ok(gsbridge("connect", "--list")).out());
        assertTrue(Files.readString(fx.alpha.home().resolve("gsbridge/addresses.json")).contains(address));
        assertEquals("Forgot " + address + ".\n", ok(gsbridge("connect", "--forget", address)).out());
        failed(gsbridge("connect", "--forget", address), address + " was not remembered");
        ok(gsbridge("connect", "--once", "127.0.0.1:" + Ports.freeRange(1).first()));
        assertEquals("No remembered addresses.\n", ok(gsbridge("connect", "--list")).out());
        Run unknown = failed(gsbridge("connect", "no-such-host.invalid"), "cannot look up the host \"no-such-host.invalid\"");
        assertFalse(unknown.err().contains("RememberAddress"), unknown.toString());
        failed(gsbridge("connect", "127.0.0.1:99999"), "port 99999 is out of range");
        assertEquals(2, gsbridge("connect").status());

        fx.alpha.daemon().deactivate("GSConnect holds the ports");
        failed(gsbridge("connect", "--once", address), "does not hold the KDE Connect ports now (GSConnect holds the ports)");
        assertTrue(ok(gsbridge("connect", address)).out().startsWith("Remembered " + address + "; gsbridge does not hold"));
    }

    /** Every subcommand, the plugins' included, as the command line declares them. */
    private Set<String> commandNames() {
        return Gsbridge.commandLine(new Gsbridge(new Console(System.out, System.err, Map.of(), false, dir)))
                .getSubcommands().keySet();
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : commandNames()) {
            Run run = ok(gsbridge(command, "--help"));
            assertTrue(run.out().startsWith("Usage: gsbridge " + command), run.toString());
        }
        assertTrue(ok(gsbridge("daemon", "--help")).out().startsWith("Usage: gsbridge daemon"));
        assertTrue(ok(gsbridge("share", "--help")).out().startsWith("Usage: gsbridge share [-hV] -d=DEV FILE..."));
    }

    @Test
    void devicesAndStatus() throws Exception {
        assertTrue(ok(gsbridge("devices")).out().contains("No devices known yet"));
        LoopbackNode beta = fx.startBeta();
        JsonNode devices = JSON.readTree(ok(gsbridge("devices", "--json")).out());
        assertEquals(1, devices.size(), devices.toString());
        JsonNode device = devices.get(0);
        assertEquals(beta.id(), device.get("id").asText());
        assertEquals("beta", device.get("name").asText());
        assertFalse(device.get("paired").asBoolean());
        assertTrue(device.get("reachable").asBoolean());
        assertEquals(8, device.get("protocolVersion").asInt());
        assertEquals(DbusService.devicePath(beta.id()), device.get("path").asText());
        assertTrue(ok(gsbridge("devices")).out().contains("beta  " + beta.id() + "  not paired, reachable"));

        String status = ok(gsbridge("status")).out();
        assertTrue(status.contains("gsbridge \"alpha\" (" + fx.alpha.id() + ")"), status);
        assertTrue(status.contains("state: active") && status.contains("identity: own")
                && status.contains("TCP port: " + fx.alpha.daemon().tcpPort()), status);
    }

    /** A command running in the background, its output readable line by line. */
    private record Background(CompletableFuture<Integer> status, LineStream out, ByteArrayOutputStream err) { }

    private Background background(String... args) {
        LineStream out = new LineStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> Main.run(List.of(args),
                new Console(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                        StandardCharsets.UTF_8), Map.of("DBUS_SESSION_BUS_ADDRESS", fx.bus.address()), false, dir)));
        return new Background(status, out, err);
    }

    @Test
    void pairWaitsForTheAnswer() throws Exception {
        LoopbackNode beta = fx.startBeta();
        Background pair = background("pair", "-d", "beta");
        String key = beta.events().await(DeviceEvent.PairRequested.class, e -> e.deviceId().equals(fx.alpha.id()),
                BusFixture.WAIT).verificationKey();
        pair.out().awaitLine(l -> l.startsWith("Verification key: " + key));
        beta.device(fx.alpha.id()).acceptPair();
        assertEquals(0, pair.status().get(30, TimeUnit.SECONDS), pair.err().toString());
        pair.out().awaitLine(l -> l.equals("Paired with beta."));
        failed(gsbridge("pair", "-d", beta.id()), "already paired");
    }

    @Test
    void pairWithAProtocol7DeviceShowsBothFingerprints() throws Exception {
        LocalCertificate certificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        try (RawPeer old = new RawPeer(certificate, certificate.deviceId(), 7,
                LoopbackNode.lanConfig(Ports.freeRange(4), fx.alphaPorts.first()), Set.of(), Set.of())) {
            old.connectTo(LoopbackNode.LOOPBACK, fx.alpha.announcement());
            Link link = old.awaitLink(BusFixture.WAIT);
            fx.alpha.events().await(DeviceEvent.Connected.class, e -> e.deviceId().equals(certificate.deviceId()),
                    BusFixture.WAIT);
            Background pair = background("pair", "-d", certificate.deviceId());
            old.awaitPacket(p -> p.isType("kdeconnect.pair"), BusFixture.WAIT);
            pair.out().awaitLine(l -> l.equals("Compare with what the device shows: our fingerprint "
                    + Certificates.sha256Fingerprint(link.peerCertificate()) + "; device fingerprint "
                    + Certificates.sha256Fingerprint(certificate.certificate())));
            Packet accept = new Packet("kdeconnect.pair");
            accept.body().put("pair", true);
            old.send(link, accept);
            assertEquals(0, pair.status().get(30, TimeUnit.SECONDS), pair.err().toString());
            pair.out().awaitLine(l -> l.equals("Paired with RawPeer."));
        }
    }

    @Test
    void pairReportsARejection() throws Exception {
        LoopbackNode beta = fx.startBeta();
        CompletableFuture<Run> pair = CompletableFuture.supplyAsync(() -> gsbridge("pair", "-d", "beta"));
        beta.events().await(DeviceEvent.PairRequested.class, e -> true, BusFixture.WAIT);
        beta.device(fx.alpha.id()).rejectPair();
        failed(pair.get(30, TimeUnit.SECONDS), "beta did not accept the pair request");
    }

    @Test
    void acceptUnpairAndReject() throws Exception {
        LoopbackNode beta = fx.startBeta();
        failed(gsbridge("accept", "-d", "beta"), "has not asked to pair");
        beta.device(fx.alpha.id()).requestPair();
        fx.alpha.events().await(DeviceEvent.PairRequested.class, e -> true, BusFixture.WAIT);
        assertTrue(ok(gsbridge("accept", "-d", "beta")).out().contains("Paired with beta."));
        beta.events().await(DeviceEvent.Paired.class, e -> true, BusFixture.WAIT);

        assertTrue(ok(gsbridge("unpair", "-d", beta.id())).out().contains("Unpaired beta."));
        beta.events().await(DeviceEvent.Unpaired.class, e -> true, BusFixture.WAIT);
        failed(gsbridge("unpair", "-d", "beta"), "not paired");

        fx.alpha.events().clear();
        beta.device(fx.alpha.id()).requestPair();
        fx.alpha.events().await(DeviceEvent.PairRequested.class, e -> true, BusFixture.WAIT);
        assertTrue(ok(gsbridge("reject", "-d", "beta")).out().contains("Rejected the pair request of beta."));
        beta.events().await(DeviceEvent.PairingFailed.class, e -> true, BusFixture.WAIT);
    }

    @Test
    void pingAndRing() throws Exception {
        LoopbackNode beta = fx.pairedBeta();
        assertTrue(ok(gsbridge("ping", "-d", "beta", "hello", "there")).out().contains("Pinged beta."));
        beta.events().await(PingPlugin.PingReceived.class, e -> e.message().equals("hello there"), BusFixture.WAIT);
        ok(gsbridge("ping", "--device", beta.id()));
        beta.events().await(PingPlugin.PingReceived.class, e -> e.message().isEmpty(), BusFixture.WAIT);
        failed(gsbridge("ping", "-d", "gamma"), "gsbridge ping: no device is called \"gamma\". \"gsbridge devices\" lists");
        failed(gsbridge("ring", "-d", "beta"), "gsbridge ring: Cannot ring beta: it does not accept");
    }

    @Test
    void shareChecksFilesBeforeSending() throws Exception {
        fx.pairedBeta();
        failed(gsbridge("share", "-d", "beta", "missing.txt"), "no such file: " + dir.resolve("missing.txt"));
    }

    @Test
    void watchPrintsEventsUntilTheDaemonStops() throws Exception {
        fx.startBeta();
        Background watching = background("watch", "--json");
        LineStream out = watching.out();
        JsonNode known = out.await(l -> l.contains("\"DeviceAdded\""));
        assertEquals("beta", known.get("name").asText());

        LoopbackNode gamma = fx.startPeer("gamma", io.github.gsbridge.testsupport.Ports.freeRange(7));
        JsonNode added = out.await(l -> l.contains("\"DeviceAdded\"") && l.contains("gamma"));
        assertEquals(DbusService.devicePath(gamma.id()), added.get("object").asText());
        fx.alpha.pairWith(gamma);
        JsonNode paired = out.await(l -> l.contains("\"PropertiesChanged\"") && l.contains("\"paired\":true"));
        assertEquals("gamma", paired.get("device").asText());
        gamma.daemon().plugins().get(PingPlugin.class).ping(gamma.device(fx.alpha.id()), Optional.of("watched"));
        JsonNode ping = out.await(l -> l.contains("\"PingReceived\""));
        assertEquals("watched", ping.get("message").asText());
        assertEquals("gamma", ping.get("device").asText());
        java.time.Instant when = java.time.Instant.parse(ping.get("time").asText());
        assertTrue(java.time.Duration.between(when, java.time.Instant.now()).abs().toSeconds() < 60,
                "each event carries when it happened: " + ping);

        fx.service.close();
        assertEquals(1, watching.status().get(30, TimeUnit.SECONDS));
        assertTrue(watching.err().toString(StandardCharsets.UTF_8).contains("gsbridge stopped"),
                watching.err().toString());
    }

    @Test
    void longOptionsTakeTheirValueAfterAnEqualsSignAndTwoDashesEndTheOptions() throws Exception {
        LoopbackNode beta = fx.pairedBeta();
        assertEquals("Pinged beta.\n", ok(gsbridge("ping", "--device=beta")).out());
        assertEquals("Sent the text to beta.\n", ok(gsbridge("share-text", "-d", "beta", "--", "-h")).out());
        beta.events().await(SharePlugin.TextReceived.class, e -> e.text().equals("-h"), BusFixture.WAIT);
    }

    @Test
    void bashCompletionOffersEveryCommandAndIsValidBash() throws Exception {
        String script = ok(gsbridge("completion")).out();
        for (String command : commandNames()) {
            assertTrue(script.contains(command), command + " missing from the completion script");
        }
        Path file = dir.resolve("gsbridge-completion.bash");
        Files.writeString(file, script);
        Process check = new ProcessBuilder("bash", "-n", file.toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertEquals(0, check.waitFor(), output);
    }

    @Test
    void helpListsEveryCommand() {
        String help = ok(gsbridge("--help")).out();
        for (String command : commandNames()) {
            assertTrue(help.contains("\n  " + command + " "), command + " missing from:\n" + help);
        }
    }

    /** Beta is known while linked; alpha lets it go as it does an unpaired device idle for a minute. */
    private LoopbackNode betaLetGo() throws Exception {
        LoopbackNode beta = fx.startBeta();
        fx.alpha.daemon().devices().disconnectAll();
        long deadline = System.nanoTime() + BusFixture.WAIT.toNanos();
        while (fx.alpha.daemon().devices().find(beta.id()).isPresent()) {
            assertTrue(System.nanoTime() < deadline, "alpha still knows beta");
            Thread.sleep(50);
        }
        return beta;
    }

    @Test
    void pairFindsANearbyDeviceThatWasLetGo() throws Exception {
        LoopbackNode beta = betaLetGo();
        Background pair = background("pair", "-d", "beta");
        beta.events().await(DeviceEvent.PairRequested.class, e -> e.deviceId().equals(fx.alpha.id()), BusFixture.WAIT);
        beta.device(fx.alpha.id()).acceptPair();
        assertEquals(0, pair.status().get(30, TimeUnit.SECONDS), pair.err().toString());
        pair.out().awaitLine(l -> l.equals("Paired with beta."));
        failed(gsbridge("pair", "-d", "gamma"), "no device is called \"gamma\". \"gsbridge devices\" lists");
    }

    @Test
    void devicesRefreshAsksNearbyDevicesToConnect() throws Exception {
        LoopbackNode beta = betaLetGo();
        assertFalse(ok(gsbridge("devices")).out().contains(beta.id()));
        assertTrue(ok(gsbridge("devices", "--refresh")).out().contains("beta  " + beta.id() + "  not paired, reachable"),
                "beta answered the announcement");
    }

    @Test
    void aDeviceIsFoundByAnyCaseAndByAUniqueBeginning() throws Exception {
        fx.pairedBeta();
        assertEquals("Pinged beta.\n", ok(gsbridge("ping", "-d", "BETA")).out());
        assertEquals("Pinged beta.\n", ok(gsbridge("ping", "-d", "be")).out());
        LoopbackNode bert = fx.startPeer("bert", io.github.gsbridge.testsupport.Ports.freeRange(7));
        assertTrue(failed(gsbridge("ping", "-d", "be"), "\"be\" could be ").err().contains("beta ("));
        failed(gsbridge("ping", "-d", "ber"), "Cannot ping bert: it is not paired");
        assertFalse(gsbridge("ping", "-d", "ber").err().contains(bert.id()), "the id the user did not type is left out");
    }

    @Test
    void watchTellsWhatHappensInWords() throws Exception {
        LoopbackNode beta = fx.pairedBeta();
        Background watching = background("watch");
        LineStream out = watching.out();
        out.awaitLine(l -> l.matches("\\d\\d:\\d\\d:\\d\\d  beta \\(" + beta.id() + "\\): paired, reachable"));
        beta.daemon().plugins().get(PingPlugin.class).ping(beta.device(fx.alpha.id()), Optional.of("hello"));
        out.awaitLine(l -> l.matches("\\d\\d:\\d\\d:\\d\\d  beta: ping \"hello\""));
        beta.close();
        out.awaitLine(l -> l.matches("\\d\\d:\\d\\d:\\d\\d  beta disconnected"));
        assertFalse(out.toString().contains("PropertiesChanged"), out.toString());
        fx.service.close();
        watching.status().get(30, TimeUnit.SECONDS);
    }

    /** Collects output lines and lets the test wait for one. */
    private static final class LineStream extends OutputStream {
        private final StringBuilder text = new StringBuilder();

        @Override
        public synchronized void write(int b) {
            text.append((char) b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            text.append(new String(b, off, len, StandardCharsets.UTF_8));
            notifyAll();
        }

        @Override
        public synchronized String toString() {
            return text.toString();
        }

        synchronized JsonNode await(Predicate<String> match) throws Exception {
            return JSON.readTree(awaitLine(match));
        }

        synchronized String awaitLine(Predicate<String> match) throws Exception {
            long deadline = System.nanoTime() + BusFixture.WAIT.toNanos();
            while (true) {
                for (String line : text.toString().split("\n")) {
                    if (text.toString().contains(line + "\n") && match.test(line)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching line in:\n" + text);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
