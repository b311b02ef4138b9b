package io.github.gsbridge.plugin.clipboard;

import io.github.gsbridge.credentials.DconfDump;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.plugin.PluginSettings;
import io.github.gsbridge.plugin.clipboard.ClipboardPlugin.ClipboardChanged;
import io.github.gsbridge.testsupport.LogCapture;
import io.github.gsbridge.testsupport.LoopbackPhone;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The clipboard plugin against a raw peer that sends what a test wants, hostile packets included. */
class ClipboardPluginTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Set<String> BOTH = Set.of(ClipboardPlugin.TYPE, ClipboardPlugin.CONNECT);

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private LoopbackPhone phone;

    @AfterEach
    void stop() {
        if (phone != null) {
            phone.close();
        }
    }

    private ClipboardPlugin start(SyncSwitches switches) throws Exception {
        phone = LoopbackPhone.start(dir, events -> List.of(new ClipboardPlugin(events, switches, clock::get)),
                BOTH, BOTH);
        return plugin();
    }

    private ClipboardPlugin start() throws Exception {
        return start(new SyncSwitches(PluginSettings.ownFile("clipboard", dir.resolve("config"))));
    }

    private ClipboardPlugin plugin() {
        return phone.daemon().plugins().get(ClipboardPlugin.class);
    }

    /** A GSConnect whose dconf tree holds {@code keys} under this device's plugin/clipboard/. */
    private SyncSwitches gsconnect(String keys) {
        return new SyncSwitches(new PluginSettings("clipboard", true, "a GSConnect of the test's",
                (deviceId, key) -> Optional.ofNullable(DconfDump.parse("[clipboard]\n" + keys).get("clipboard").get(key)),
                Optional.empty()));
    }

    private void phoneSends(String type, String body) throws IOException {
        phone.peer().sendRaw(phone.link(), ("{\"id\":1,\"type\":\"" + type + "\",\"body\":" + body + "}\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private ClipboardChanged awaitChange(String content) throws InterruptedException {
        return phone.events().await(ClipboardChanged.class, e -> e.content().equals(content), WAIT);
    }

    /** Changes seen so far, once {@code marker} (sent after what is tested) has arrived: the link keeps order. */
    private List<ClipboardChanged> changesUpTo(String marker) throws Exception {
        phoneSends(ClipboardPlugin.TYPE, "{\"content\":\"" + marker + "\"}");
        awaitChange(marker);
        return phone.events().all(ClipboardChanged.class);
    }

    @Test
    void whatThePhoneCopiesIsAnnouncedOnce() throws Exception {
        ClipboardPlugin plugin = start();
        phoneSends(ClipboardPlugin.TYPE, "{\"content\":\"line one\\nline two\"}");
        assertTrue(awaitChange("line one\nline two").announced());
        assertEquals(Optional.of("line one\nline two"), plugin.content(phone.peerId()));

        phoneSends(ClipboardPlugin.TYPE, "{\"content\":\"line one\\nline two\"}");
        assertEquals(List.of(new ClipboardChanged(phone.peerId(), "line one\nline two", true),
                new ClipboardChanged(phone.peerId(), "next", true)), changesUpTo("next"),
                "the same text again is no news");
    }

    @Test
    void onConnectThePhonesClipboardCountsOnlyWhenNewerThanOurs() throws Exception {
        ClipboardPlugin plugin = start();
        clock.set(5_000);
        assertTrue(plugin.send(phone.device(), "ours"));
        phone.peer().awaitPacket(p -> p.isType(ClipboardPlugin.TYPE), WAIT);

        phoneSends(ClipboardPlugin.CONNECT, "{\"content\":\"older\",\"timestamp\":4999}");
        phoneSends(ClipboardPlugin.CONNECT, "{\"content\":\"unknown age\",\"timestamp\":0}");
        phoneSends(ClipboardPlugin.CONNECT, "{\"content\":\"no age\"}");
        phoneSends(ClipboardPlugin.CONNECT, "{\"content\":\"newer\",\"timestamp\":\"5001\"}");
        assertTrue(awaitChange("newer").announced(), "a timestamp sent as a string of digits counts");
        List<ClipboardChanged> changes = phone.events().all(ClipboardChanged.class);
        assertEquals(List.of("ours", "older", "unknown age", "no age", "newer"),
                changes.stream().map(ClipboardChanged::content).toList());
        assertEquals(List.of(false, false, false, false, true),
                changes.stream().map(ClipboardChanged::announced).toList(),
                "older or of unknown age: the phone's content is known, not handed to the desktop");
        assertEquals(Optional.of("newer"), plugin.content(phone.peerId()));
    }

    @Test
    void aClipboardOfUnknownAgeIsNotAnnouncedEvenWhenThisComputerHasNone() throws Exception {
        ClipboardPlugin plugin = start();
        phoneSends(ClipboardPlugin.CONNECT, "{\"content\":\"unknown age\",\"timestamp\":0}");
        assertFalse(awaitChange("unknown age").announced());
        assertEquals(Optional.of("unknown age"), plugin.content(phone.peerId()));
    }

    @Test
    void sendingPutsTheTextOnThePhoneOnceAndNotBack() throws Exception {
        ClipboardPlugin plugin = start();
        assertTrue(plugin.send(phone.device(), "secret"));
        Packet sent = phone.peer().awaitPacket(p -> p.isType(ClipboardPlugin.TYPE), WAIT);
        assertEquals("{\"content\":\"secret\"}", sent.body().toString());

        assertFalse(plugin.send(phone.device(), "secret"), "the phone holds it already");
        phoneSends(ClipboardPlugin.TYPE, "{\"content\":\"from phone\"}");
        awaitChange("from phone");
        assertFalse(plugin.send(phone.device(), "from phone"), "a bridge copying it to the desktop and back stops here");
        assertTrue(plugin.send(phone.device(), "other"));
        phone.peer().awaitPacket(p -> p.isType(ClipboardPlugin.TYPE) && p.body().path("content").asText().equals("other"),
                WAIT);
        assertEquals(List.of("secret", "other"), phone.peer().received().stream()
                .filter(p -> p.isType(ClipboardPlugin.TYPE)).map(p -> p.body().get("content").asText()).toList());
    }

    @Test
    void onConnectThePhoneLearnsTheLastTextSentAndItsAge() throws Exception {
        ClipboardPlugin plugin = start();
        clock.set(1_700_000_000_123L);
        plugin.send(phone.device(), "copied here");
        plugin.connected(phone.device());
        Packet connect = phone.peer().awaitPacket(p -> p.isType(ClipboardPlugin.CONNECT), WAIT);
        assertEquals("{\"content\":\"copied here\",\"timestamp\":1700000000123}", connect.body().toString());
    }

    @Test
    void hostileOrBrokenClipboardsAreRefusedAndSaySo() throws Exception {
        start();
        String mib = "x".repeat(1024 * 1024);
        try (LogCapture log = LogCapture.start()) {
            phoneSends(ClipboardPlugin.TYPE, "{\"content\":\"" + mib + "\"}");
            phoneSends(ClipboardPlugin.CONNECT, "{\"content\":\"" + mib + "\",\"timestamp\":9999999999999}");
            phoneSends(ClipboardPlugin.TYPE, "{\"content\":42}");
            phoneSends(ClipboardPlugin.TYPE, "{\"content\":{\"text\":\"x\"}}");
            phoneSends(ClipboardPlugin.TYPE, "{\"content\":null}");
            phoneSends(ClipboardPlugin.TYPE, "{}");
            phoneSends(ClipboardPlugin.CONNECT, "{\"content\":\"when?\",\"timestamp\":\"soon\"}");
            assertEquals(List.of(new ClipboardChanged(phone.peerId(), "still fine", true)), changesUpTo("still fine"));
            assertEquals(2, log.matching(phone.peerId(), "ignored: its content is 1024 KiB, more than the 256 KiB")
                    .size(), String.join("\n", log.matching("clipboard")));
            assertEquals(1, log.matching(phone.peerId(), "refused " + ClipboardPlugin.TYPE
                    + ": content is not a string: 42").size());
            assertEquals(1, log.matching(phone.peerId(), "refused " + ClipboardPlugin.TYPE
                    + ": content is not a string: {\"text\":\"x\"}").size());
            assertEquals(2, log.matching(ClipboardPlugin.TYPE + " without content; ignored").size(),
                    "null and absent alike");
            assertEquals(1, log.matching(phone.peerId(), "refused " + ClipboardPlugin.CONNECT
                    + ": timestamp is not a whole number of 64 bits: \"soon\"").size());
            assertTrue(log.matching(mib.substring(0, 1000)).isEmpty(), "the refused text is not logged");
        }
        assertTrue(phone.device().isReachable(), "the link stays up");
    }

    @Test
    void theLimitIsInBytesAndHoldsBothWays() throws Exception {
        ClipboardPlugin plugin = start();
        String limit = "é".repeat(ClipboardPlugin.MAX_BYTES / 2);
        phoneSends(ClipboardPlugin.TYPE, "{\"content\":\"" + limit + "\"}");
        awaitChange(limit);
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> plugin.send(phone.device(), limit + "x"));
        assertEquals("the text is 256 KiB, more than the 256 KiB gsbridge puts on a clipboard", tooLong.getMessage());
    }

    @Test
    void gsconnectsSwitchesDecideAndAreOffUnlessSet() throws Exception {
        ClipboardPlugin plugin = start(gsconnect(""));
        DeviceException refused = assertThrows(DeviceException.class, () -> plugin.send(phone.device(), "x"));
        assertEquals("sending the clipboard to it is off in GSConnect's settings (Clipboard Sync, To Device)",
                refused.getMessage());
        try (LogCapture log = LogCapture.start()) {
            phoneSends(ClipboardPlugin.TYPE, "{\"content\":\"private\"}");
            log.await(WAIT, phone.peerId(), "ignored: receiving the clipboard from this device is off in GSConnect");
        }
        assertEquals(Optional.empty(), plugin.content(phone.peerId()), "nothing of it is kept");
        plugin.connected(phone.device());
        assertTrue(phone.events().all(ClipboardChanged.class).isEmpty());
    }

    @Test
    void gsconnectsSwitchesOnLetItThrough() throws Exception {
        ClipboardPlugin plugin = start(gsconnect("send-content=true\nreceive-content=true\n"));
        assertTrue(plugin.send(phone.device(), "x"));
        phoneSends(ClipboardPlugin.TYPE, "{\"content\":\"y\"}");
        assertTrue(awaitChange("y").announced());
    }

    @Test
    void aSwitchOfTheWrongTypeCountsAsOff() throws Exception {
        ClipboardPlugin plugin = start(gsconnect("send-content='yes'\nreceive-content=1\n"));
        try (LogCapture log = LogCapture.start()) {
            assertThrows(DeviceException.class, () -> plugin.send(phone.device(), "x"));
            log.await(WAIT, phone.peerId(), "GSConnect's setting plugin/clipboard/send-content is not a boolean");
        }
    }
}
