package io.github.gsbridge.plugin.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.gsbridge.plugin.notification.NotificationPackets.Cancelled;
import io.github.gsbridge.plugin.notification.NotificationPackets.Posted;
import io.github.gsbridge.plugin.notification.NotificationPackets.Refused;
import io.github.gsbridge.plugin.notification.DeviceNotification;
import io.github.gsbridge.plugin.notification.OutgoingNotification;
import io.github.gsbridge.wire.Packet;
import io.github.gsbridge.wire.PacketCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotificationPacketsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ourNotificationCarriesWhatAndroidRequires() {
        OutgoingNotification outgoing = new OutgoingNotification(Optional.of("n1"), "Mail", "Alice", "Lunch?", Optional.empty(), true);
        Packet packet = NotificationPackets.notification("n1", outgoing, Optional.empty(), 1700000000123L, false);
        assertEquals("kdeconnect.notification", packet.type());
        ObjectNode expected = JSON.createObjectNode().put("id", "n1").put("appName", "Mail").put("title", "Alice")
                .put("text", "Lunch?").put("ticker", "Alice: Lunch?").put("isClearable", true)
                .put("time", "1700000000123").put("silent", false);
        assertEquals(expected, packet.body());
        assertTrue(packet.body().get("time").isTextual(), "time is a string of milliseconds");
        assertFalse(packet.hasPayload());
    }

    @Test
    void iconGoesWithItsMd5() {
        OutgoingNotification outgoing = new OutgoingNotification(Optional.empty(), "a", "t", "x", Optional.empty(), false);
        byte[] icon = "hello".getBytes(StandardCharsets.US_ASCII);
        Packet packet = NotificationPackets.notification("n2", outgoing, Optional.of(icon), 1, true);
        // md5("hello"), lowercase hex
        assertEquals("5d41402abc4b2a76b9719d911017c592", packet.body().get("payloadHash").asText());
        assertTrue(packet.body().get("silent").asBoolean());
    }

    @Test
    void tickerJoinsOnlyWhatIsThere() {
        assertEquals("title: text", NotificationPackets.ticker("title", "text"));
        assertEquals("title", NotificationPackets.ticker("title", ""));
        assertEquals("text", NotificationPackets.ticker("", "text"));
        assertEquals("", NotificationPackets.ticker("", ""));
    }

    @Test
    void withdrawalAndRequests() {
        assertEquals(JSON.createObjectNode().put("id", "n1").put("isCancel", true),
                NotificationPackets.cancel("n1").body());
        Packet all = NotificationPackets.requestAll();
        assertEquals("kdeconnect.notification.request", all.type());
        assertEquals(JSON.createObjectNode().put("request", true), all.body());
        Packet dismiss = NotificationPackets.dismiss("0|com.app|1|null|10001");
        assertEquals("kdeconnect.notification.request", dismiss.type());
        assertEquals(JSON.createObjectNode().put("cancel", "0|com.app|1|null|10001"), dismiss.body());
        Packet reply = NotificationPackets.reply("r-1", "on my way");
        assertEquals("kdeconnect.notification.reply", reply.type());
        assertEquals(JSON.createObjectNode().put("requestReplyId", "r-1").put("message", "on my way"), reply.body());
        Packet action = NotificationPackets.action("0|com.app|1|null|10001", "Mark as read");
        assertEquals("kdeconnect.notification.action", action.type());
        assertEquals(JSON.createObjectNode().put("key", "0|com.app|1|null|10001").put("action", "Mark as read"),
                action.body());
    }

    @Test
    void androidNotification() throws Exception {
        Posted posted = (Posted) NotificationPackets.parse(packet("""
                {"id":"0|org.telegram|5|null|10123","isClearable":true,"appName":"Telegram","time":"1700000000000",
                 "silent":false,"ticker":"Bob: hi","title":"Bob","text":"hi","requestReplyId":"r-1",
                 "actions":["Mark as read"],"payloadHash":"00ff"}
                """));
        assertEquals(new DeviceNotification("0|org.telegram|5|null|10123", "Telegram", "Bob", "hi", "Bob: hi", true,
                1700000000000L, List.of("Mark as read"), Optional.of("r-1")), posted.notification());
        assertFalse(posted.silent());
        assertEquals(Optional.of("00ff"), posted.payloadHash());
    }

    @Test
    void kdeconnectKdeNotificationHasOnlyATicker() throws Exception {
        // what kdeconnectd 22.12's sendnotifications plugin sends
        Posted posted = (Posted) NotificationPackets.parse(packet("""
                {"id":"3","appName":"notify-send","ticker":"Build: done","isClearable":true}
                """));
        assertEquals(new DeviceNotification("3", "notify-send", "Build: done", "", "Build: done", true, 0, List.of(),
                Optional.empty()),
                posted.notification());
        assertEquals(Optional.empty(), posted.payloadHash());
    }

    @Test
    void missingFieldsGetDefaults() throws Exception {
        Posted posted = (Posted) NotificationPackets.parse(packet("{\"id\":\"x\",\"time\":1700000000001}"));
        assertEquals(new DeviceNotification("x", "", "", "", "", false, 1700000000001L, List.of(),
                Optional.empty()),
                posted.notification());
    }

    @Test
    void aNumberedNotificationFromKdeconnectd2504IsTaken() throws Exception {
        Posted posted = (Posted) NotificationPackets.parse(packet("{\"id\":0,\"appName\":\"Builder\"}"));
        assertEquals("0", posted.notification().id());
        assertEquals(new Cancelled("7"), NotificationPackets.parse(packet("{\"id\":7,\"isCancel\":true}")));
    }

    @Test
    void cancellation() throws Exception {
        assertEquals(new Cancelled("x"), NotificationPackets.parse(packet("{\"id\":\"x\",\"isCancel\":true}")));
    }

    @Test
    void unusableFieldsRefuseThePacket() {
        assertRefused("{}", "no id");
        assertRefused("{\"id\":\"\"}", "empty id");
        assertRefused("{\"id\":1.5}", "id is neither a string nor a whole number: 1.5");
        assertRefused("{\"id\":[]}", "id is not a string: []");
        assertRefused("{\"id\":\"x\",\"isCancel\":\"yes\"}", "isCancel is not a boolean: \"yes\"");
        assertRefused("{\"id\":\"x\",\"appName\":[]}", "appName is not a string: []");
        assertRefused("{\"id\":\"x\",\"title\":{}}", "title is not a string: {}");
        assertRefused("{\"id\":\"x\",\"isClearable\":1}", "isClearable is not a boolean: 1");
        assertRefused("{\"id\":\"x\",\"time\":\"soon\"}", "time is not a whole number of 64 bits: \"soon\"");
        assertRefused("{\"id\":\"x\",\"time\":1.5}", "time is not a whole number of 64 bits: 1.5");
        assertRefused("{\"id\":\"x\",\"actions\":\"Reply\"}", "actions is not an array: \"Reply\"");
        assertRefused("{\"id\":\"x\",\"actions\":[1]}", "actions holds a non-string: 1");
    }

    private static void assertRefused(String body, String reason) {
        Refused refused = assertThrows(Refused.class, () -> NotificationPackets.parse(packet(body)));
        assertEquals(reason, refused.getMessage());
    }

    private static Packet packet(String body) {
        String line = "{\"id\":1,\"type\":\"kdeconnect.notification\",\"body\":" + body.strip() + "}\n";
        try {
            return PacketCodec.decode(line.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
