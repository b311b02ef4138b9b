package io.github.gsbridge.hostile;

import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.tls.LocalCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A paired device that sends what no encoder would: broken JSON, wrong types, missing fields,
 * duplicate keys, unknown types. Each line is dropped with a log line, plugins never throw, and
 * the same link carries a valid ping afterwards.
 */
class MalformedPacketsTest {
    @TempDir
    Path dir;

    private HostileDaemon daemon;
    private RawPeer attacker;
    private Link link;
    private String attackerId;

    @BeforeEach
    void setUp() throws Exception {
        LocalCertificate certificate = LocalCertificate.generate(LocalCertificate.newDeviceId());
        attackerId = certificate.deviceId();
        daemon = HostileDaemon.start(dir, List.of(certificate));
        attacker = daemon.peer(certificate);
        link = attacker.awaitLink(HostileDaemon.WAIT);
        daemon.awaitConnected(attackerId);
    }

    @AfterEach
    void tearDown() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private void sendLines(List<String> lines) throws Exception {
        for (String line : lines) {
            attacker.sendRaw(link, (line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void unparsableLinesAreDroppedAndTheLinkSurvives() throws Exception {
        List<String> malformed = List.of(
                "{not json",
                "[1,2,3]",
                "\"just a string\"",
                "null",
                "{\"id\":1,\"type\":\"kdeconnect.ping\",\"body\":{}} trailing",
                "{\"id\":1,\"type\":\"kdeconnect.ping\",\"body\":[1,2]}",
                "{\"id\":1,\"type\":\"kdeconnect.ping\",\"body\":\"text\"}",
                "{\"id\":1,\"body\":{}}",
                "{\"id\":1,\"type\":42,\"body\":{}}",
                "{\"id\":1,\"type\":\"\",\"body\":{}}",
                "{\"id\":1,\"type\":\"kdeconnect.share.request\",\"body\":{\"filename\":\"a\"},"
                        + "\"payloadSize\":\"12\",\"payloadTransferInfo\":{\"port\":1739}}",
                "{\"id\":1,\"type\":\"kdeconnect.share.request\",\"body\":{\"filename\":\"a\"},"
                        + "\"payloadSize\":-5,\"payloadTransferInfo\":{\"port\":1739}}",
                "{\"id\":1,\"type\":\"kdeconnect.share.request\",\"body\":{\"filename\":\"a\"},"
                        + "\"payloadSize\":12,\"payloadTransferInfo\":{\"port\":\"1739\"}}",
                "{\"id\":1,\"type\":\"kdeconnect.share.request\",\"body\":{\"filename\":\"a\"},"
                        + "\"payloadSize\":12,\"payloadTransferInfo\":{\"port\":70000}}",
                "{\"id\":1,\"type\":\"kdeconnect.share.request\",\"body\":{\"filename\":\"a\"},"
                        + "\"payloadSize\":12,\"payloadTransferInfo\":[1739]}",
                "{\"id\":1,\"type\":\"kdeconnect.ping\",\"type\":\"kdeconnect.share.request\",\"body\":{}}",
                "{\"id\":1,\"type\":\"kdeconnect.ping\",\"body\":{\"message\":\"a\",\"message\":\"b\"}}",
                "{\"id\":NaN,\"type\":\"kdeconnect.ping\",\"body\":{}}",
                "{\"id\":1,\"type\":\"kdeconnect.ping\",\"body\":{\"message\":\"\\ud800\"}",
                "{\"id\":1,\"type\":\"kdeconnect.ping\",\"body\":{\"n\":" + "9".repeat(5000) + "}}",
                "{\"id\":1,\"type\":\"kdeconnect.ping\",\"body\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}",
                "\u0000\u0000\u0000",
                "\uFFFD{\"id\":1}");
        sendLines(malformed);
        // Bytes that are not UTF-8 at all.
        attacker.sendRaw(link, new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}', '\n', '\r', '\n', '\n'});

        daemon.assertPingArrives(attacker, link, "after the garbage");
        assertTrue(link.isOpen(), "the link survived");
        List<String> dropped = daemon.log.matching(attackerId, "dropped malformed packet");
        assertEquals(malformed.size() + 2, dropped.size(), "one log line per malformed line: " + dropped);
        assertTrue(daemon.log.matching("kdeconnect.ping: \"body\" is not an object").size() >= 1);
        assertTrue(daemon.log.matching(attackerId, "kdeconnect.share.request: \"payloadSize\"").size() >= 1);
        daemon.assertStillServing();
        daemon.assertFiles(List.of());
    }

    @Test
    void wellFormedPacketsWithWrongTypesNeverCrashAPlugin() throws Exception {
        List<String> wrongTypes = List.of(
                // ping
                "{\"type\":\"kdeconnect.ping\",\"body\":{\"message\":{\"a\":1}}}",
                "{\"type\":\"kdeconnect.ping\",\"body\":{\"message\":[1,2]}}",
                // share: no usable field, fields of the wrong type
                "{\"type\":\"kdeconnect.share.request\",\"body\":{}}",
                "{\"type\":\"kdeconnect.share.request\",\"body\":{\"url\":42}}",
                "{\"type\":\"kdeconnect.share.request\",\"body\":{\"text\":[\"a\"]}}",
                "{\"type\":\"kdeconnect.share.request\",\"body\":{\"filename\":{\"a\":1}}}",
                "{\"type\":\"kdeconnect.share.request\",\"body\":{\"filename\":[\"x.txt\"]}}",
                "{\"type\":\"kdeconnect.share.request\",\"body\":{\"filename\":12345}}",
                "{\"type\":\"kdeconnect.share.request\",\"body\":{\"filename\":true}}",
                "{\"type\":\"kdeconnect.share.request.update\",\"body\":{\"numberOfFiles\":\"lots\","
                        + "\"totalPayloadSize\":{\"x\":1}}}",
                // notification
                "{\"type\":\"kdeconnect.notification\",\"body\":{}}",
                "{\"type\":\"kdeconnect.notification\",\"body\":{\"id\":5}}",
                "{\"type\":\"kdeconnect.notification\",\"body\":{\"id\":\"n\",\"isCancel\":\"yes\"}}",
                "{\"type\":\"kdeconnect.notification\",\"body\":{\"id\":\"n\",\"actions\":{\"a\":1}}}",
                "{\"type\":\"kdeconnect.notification\",\"body\":{\"id\":\"n\",\"time\":\"soon\"}}",
                "{\"type\":\"kdeconnect.notification\",\"body\":{\"id\":\"n\",\"payloadHash\":7}}",
                "{\"type\":\"kdeconnect.notification.request\",\"body\":{\"cancel\":5}}",
                "{\"type\":\"kdeconnect.notification.request\",\"body\":{\"request\":\"yes\"}}",
                // pairing: not a boolean, no field at all
                "{\"type\":\"kdeconnect.pair\",\"body\":{\"pair\":\"maybe\"}}",
                "{\"type\":\"kdeconnect.pair\",\"body\":{}}",
                // types nobody handles, or that only belong to the handshake
                "{\"type\":\"kdeconnect.runcommand\",\"body\":{\"key\":\"rm -rf /\"}}",
                "{\"type\":\"kdeconnect.identity\",\"body\":{\"deviceId\":\"someone-else\"}}",
                "{\"type\":\"" + "x".repeat(10_000) + "\",\"body\":{}}");
        sendLines(wrongTypes);

        daemon.assertPingArrives(attacker, link, "after the wrong types");
        assertTrue(link.isOpen(), "the link survived");
        assertEquals(List.of(), daemon.log.matching("failed"), "no plugin threw");
        assertTrue(daemon.node.device(attackerId).isPaired(), "a pair packet without a boolean changes nothing");
        assertEquals(1, daemon.log.matching(attackerId, "refused kdeconnect.pair: pair is not a boolean: \"maybe\"").size(),
                "a field of the wrong type is refused with the device, the packet type and the field");
        assertEquals(1, daemon.log.matching(attackerId, "ignored kdeconnect.runcommand: no plugin handles it").size());
        assertEquals(1, daemon.log.matching(attackerId, "refused kdeconnect.notification: time").size());
        assertEquals(4, daemon.log.matching(attackerId, "refused kdeconnect.share.request: filename is not a string")
                .size());
        daemon.assertStillServing();
        daemon.assertFiles(List.of());
    }
}
