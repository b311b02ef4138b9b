package io.github.gsbridge.cli;

import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.plugin.clipboard.Clipboard1;
import io.github.gsbridge.plugin.clipboard.ClipboardPlugin;
import io.github.gsbridge.plugin.clipboard.ClipboardPlugin.ClipboardChanged;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.BusFixture;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gsbridge clipboard} and {@code io.github.gsbridge.Clipboard1} on a private bus, against a
 * second gsbridge ("beta") whose own clipboard plugin takes and sends the text.
 */
class ClipboardCliTest {
    @RegisterExtension
    final Stage<BusFixture> fixture = BusFixture.eachTest();
    private BusFixture fx;
    private LoopbackNode beta;

    @BeforeEach
    void recordClipboardSignals() throws Exception {
        fx = fixture.get();
        fx.record(Clipboard1.ContentChanged.class);
    }

    private record Run(int status, String out, String err) { }

    private Run gsbridge(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), console(out, err));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Console console(ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return new Console(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), Map.of("DBUS_SESSION_BUS_ADDRESS", fx.bus.address()), false, fixture.dir());
    }

    /** gsbridge ARGS with {@code stdin} as standard input. */
    private Run gsbridge(byte[] stdin, String... args) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(stdin));
        try {
            return gsbridge(args);
        } finally {
            System.setIn(original);
        }
    }

    private void betaCopies(String text) throws Exception {
        beta.daemon().plugins().get(ClipboardPlugin.class).send(beta.device(fx.alpha.id()), text);
        fx.await(Clipboard1.ContentChanged.class, s -> s.content.equals(text));
    }

    private String betaGot(String text) throws InterruptedException {
        return beta.events().await(ClipboardChanged.class, e -> e.content().equals(text), BusFixture.WAIT).content();
    }

    @Test
    void textGoesToTheDeviceAndItsClipboardIsPrinted() throws Exception {
        beta = fx.pairedBeta();
        Run sent = gsbridge("clipboard", "-d", "beta", "hello", "world");
        assertEquals(new Run(0, "The clipboard of beta holds the 11 characters.\n", ""), sent);
        betaGot("hello world");

        betaCopies("two\nlines");
        assertEquals(new Run(0, "two\nlines\n", ""), gsbridge("clipboard", "-d", "beta", "--get"));
        assertEquals(new Run(0, "two\nlines\0", ""), gsbridge("clipboard", "-d", "beta", "--get", "-0"));
    }

    @Test
    void standardInputIsSentAsItIsAndOnlyWhenItIsText() throws Exception {
        beta = fx.pairedBeta();
        assertEquals(0, gsbridge("piped\ntext\n".getBytes(StandardCharsets.UTF_8), "clipboard", "-d", "beta", "-")
                .status());
        betaGot("piped\ntext\n");

        Run binary = gsbridge(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff}, "clipboard", "-d", "beta", "-");
        assertEquals(new Run(1, "", "gsbridge clipboard: standard input is not text (not UTF-8); nothing was sent\n"), binary);
        Run tooLong = gsbridge(new byte[ClipboardPlugin.MAX_BYTES + 1], "clipboard", "-d", "beta", "-");
        assertEquals(1, tooLong.status());
        assertTrue(tooLong.err().contains("more than 256 KiB, more than a clipboard takes; nothing was sent"),
                tooLong.err());
        assertEquals(1, gsbridge(new byte[0], "clipboard", "-d", "beta", "-").status(), "empty input sends nothing");
    }

    @Test
    void aMebibyteIsRefusedInTheUsersWords() throws Exception {
        beta = fx.pairedBeta();
        Run run = gsbridge("clipboard", "-d", "beta", "x".repeat(1024 * 1024));
        assertEquals(new Run(1, "", "gsbridge clipboard: Cannot put the text on the clipboard of beta: the text is 1024 KiB, "
                + "more than the 256 KiB gsbridge puts on a clipboard\n"), run);
    }

    @Test
    void watchPrintsEachNewTextUntilTheDaemonStops() throws Exception {
        beta = fx.pairedBeta();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> watching = CompletableFuture.supplyAsync(() ->
                Main.run(List.of("clipboard", "-d", "beta", "--watch", "--null"), console(out, err)));
        long deadline = System.nanoTime() + BusFixture.WAIT.toNanos();
        while (!err.toString(StandardCharsets.UTF_8).contains("Watching the clipboard of beta")) {
            assertTrue(System.nanoTime() < deadline, "watch did not start: " + err);
            Thread.sleep(20);
        }
        betaCopies("a\nb");
        betaCopies("c");
        betaCopies("c");
        betaCopies("d");
        fx.service.close();
        assertEquals(1, watching.get(30, TimeUnit.SECONDS));
        assertEquals("a\nb\0c\0d\0", out.toString(StandardCharsets.UTF_8), "the same text again is not new");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("gsbridge stopped"), err.toString());
    }

    @Test
    void gsbridgeWatchSaysHowMuchWasCopiedAndScriptsGetTheText() throws Exception {
        beta = fx.pairedBeta();
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> people = CompletableFuture.supplyAsync(() ->
                Main.run(List.of("watch"), console(plain, err)));
        CompletableFuture<Integer> scripts = CompletableFuture.supplyAsync(() ->
                Main.run(List.of("watch", "--json"), console(json, err)));
        long deadline = System.nanoTime() + BusFixture.WAIT.toNanos();
        while (!plain.toString(StandardCharsets.UTF_8).contains("paired, reachable")
                || !json.toString(StandardCharsets.UTF_8).contains("DeviceAdded")) {
            assertTrue(System.nanoTime() < deadline, "watch did not start: " + plain + json + err);
            Thread.sleep(20);
        }
        betaCopies("password1");
        fx.service.close();
        people.get(30, TimeUnit.SECONDS);
        scripts.get(30, TimeUnit.SECONDS);
        String said = plain.toString(StandardCharsets.UTF_8);
        assertTrue(said.lines().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d  beta copied text \\(9 characters\\)")), said);
        assertFalse(said.contains("password1"), "the plain lines are read over shoulders: " + said);
        assertTrue(json.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.contains("\"event\":\"ClipboardChanged\"")
                && l.contains("\"device\":\"beta\"") && l.contains("\"content\":\"password1\"")), json.toString());
    }

    @Test
    void theInterfaceIsOnlyOnDevicesWithAClipboard() throws Exception {
        beta = fx.pairedBeta();
        String path = DbusService.devicePath(beta.id());
        String xml = fx.gdbus.introspectXml(DbusService.BUS_NAME, path);
        assertTrue(xml.contains("<interface name=\"io.github.gsbridge.Clipboard1\">")
                && xml.contains("<method name=\"SetContent\">") && xml.contains("<property name=\"Content\""), xml);

        LoopbackNode gamma = fx.paired(fx.startPeer("gamma", Ports.freeRange(7),
                wiring -> List.of(new PingPlugin(wiring.events()))));
        String without = fx.gdbus.introspectXml(DbusService.BUS_NAME, DbusService.devicePath(gamma.id()));
        assertFalse(without.contains("Clipboard1"), without);
        assertEquals(new Run(1, "", "gsbridge clipboard: gamma does not share its clipboard: its KDE Connect has no "
                + "clipboard plugin, or the plugin is switched off there\n"), gsbridge("clipboard", "-d", "gamma", "hi"));
    }
}
