package io.github.gsbridge.plugin.battery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.gsbridge.wire.Packet;
import io.github.gsbridge.wire.PacketFieldException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BatteryStateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BatteryState parse(String body, BatteryState before) throws Exception {
        Packet packet = new Packet(BatteryPlugin.BATTERY);
        packet.body().setAll((ObjectNode) JSON.readTree(body));
        return BatteryState.fromPacket(packet, before);
    }

    private static String refusal(String body) {
        return assertThrows(BatteryState.RefusedReport.class, () -> parse(body, BatteryState.UNKNOWN)).getMessage();
    }

    @Test
    void aReportIsTakenAsItIs() throws Exception {
        assertEquals(new BatteryState(80, true, false),
                parse("{\"currentCharge\":80,\"isCharging\":true,\"thresholdEvent\":0}", BatteryState.UNKNOWN));
        assertEquals(new BatteryState(0, false, false), parse("{\"currentCharge\":0,\"isCharging\":false}",
                BatteryState.UNKNOWN));
        assertEquals(new BatteryState(100, false, false), parse("{\"currentCharge\":100}", BatteryState.UNKNOWN));
    }

    @Test
    void missingFieldsTakeKdeConnectsDefaults() throws Exception {
        assertEquals(BatteryState.UNKNOWN, parse("{}", BatteryState.UNKNOWN));
        assertEquals(BatteryState.UNKNOWN, parse("{\"currentCharge\":null}", BatteryState.UNKNOWN));
        assertEquals(new BatteryState(-1, true, false), parse("{\"isCharging\":true,\"currentCharge\":-1}",
                BatteryState.UNKNOWN));
    }

    @Test
    void levelsOutsideZeroToHundredAreRefusedWithTheReason() {
        assertEquals("currentCharge -5 is outside 0-100 (and not -1, unknown)", refusal("{\"currentCharge\":-5}"));
        assertEquals("currentCharge 1000 is outside 0-100 (and not -1, unknown)", refusal("{\"currentCharge\":1000}"));
        assertEquals("currentCharge 101 is outside 0-100 (and not -1, unknown)", refusal("{\"currentCharge\":\"101\"}"));
    }

    @Test
    void fieldsOfTheWrongTypeRefuseThePacket() {
        assertEquals("kdeconnect.battery: currentCharge is not a whole number of 64 bits: \"eighty\"",
                wrongType("{\"currentCharge\":\"eighty\"}"));
        assertEquals("kdeconnect.battery: currentCharge is not a whole number of 64 bits: 80.5",
                wrongType("{\"currentCharge\":80.5}"));
        assertEquals("kdeconnect.battery: currentCharge is not a whole number of 64 bits: 99999999999999999999",
                wrongType("{\"currentCharge\":99999999999999999999}"));
        assertEquals("kdeconnect.battery: isCharging is not a boolean: \"yes\"",
                wrongType("{\"currentCharge\":50,\"isCharging\":\"yes\"}"));
        assertEquals("kdeconnect.battery: thresholdEvent is not a whole number of 64 bits: \"low\"",
                wrongType("{\"currentCharge\":50,\"thresholdEvent\":\"low\"}"));
    }

    private static String wrongType(String body) {
        return assertThrows(PacketFieldException.class, () -> parse(body, BatteryState.UNKNOWN)).getMessage();
    }

    @Test
    void aChargeSentAsDigitsIsTheNumberAsEverywhereInTheProtocol() throws Exception {
        assertEquals(new BatteryState(80, false, false), parse("{\"currentCharge\":\"80\"}", BatteryState.UNKNOWN));
    }

    @Test
    void lowLastsFromTheEventUntilTheDeviceIsPluggedIn() throws Exception {
        BatteryState low = parse("{\"currentCharge\":14,\"isCharging\":false,\"thresholdEvent\":1}", BatteryState.UNKNOWN);
        assertEquals(new BatteryState(14, false, true), low);
        // Android's next report carries no event; the battery is no less low for it.
        BatteryState lower = parse("{\"currentCharge\":13,\"isCharging\":false,\"thresholdEvent\":0}", low);
        assertEquals(new BatteryState(13, false, true), lower);
        assertEquals(new BatteryState(13, true, false),
                parse("{\"currentCharge\":13,\"isCharging\":true,\"thresholdEvent\":0}", lower));
        // kdeconnect-kde does not warn about a battery that charges, and neither do we.
        assertEquals(new BatteryState(10, true, false),
                parse("{\"currentCharge\":10,\"isCharging\":true,\"thresholdEvent\":1}", BatteryState.UNKNOWN));
        // Events we do not know (a future "full", say) are no low battery.
        assertEquals(new BatteryState(100, false, false),
                parse("{\"currentCharge\":100,\"thresholdEvent\":2}", BatteryState.UNKNOWN));
    }

    @Test
    void thisComputersBatteryIsLowAsKdeConnectSaysAndRoundedDown() {
        assertEquals(new BatteryState(15, false, true), BatteryState.ofComputer(15.9, false, true));
        assertEquals(new BatteryState(16, false, false), BatteryState.ofComputer(16.0, false, true));
        assertEquals(new BatteryState(12, true, false), BatteryState.ofComputer(12.0, true, false));
        // Fully charged, or pending: neither charging nor discharging.
        assertEquals(new BatteryState(100, false, false), BatteryState.ofComputer(100.0, false, false));
    }

    @Test
    void aLowBatteryNoticeIsOfTheBatteryKind() {
        assertEquals(BatteryPlugin.LOW_BATTERY, new BatteryPlugin.BatteryLow("x", 9).kind());
        assertEquals("Pixel: battery low", new BatteryPlugin.BatteryLow("x", 9).title("Pixel"));
        assertEquals("Its battery is almost empty. Time to plug it in.", new BatteryPlugin.BatteryLow("x", -1).body());
    }

    @Test
    void inWords() {
        assertEquals("battery 80 %, charging", new BatteryState(80, true, false).describe());
        assertEquals("battery 9 %, low", new BatteryState(9, false, true).describe());
        assertEquals("battery unknown", BatteryState.UNKNOWN.describe());
    }
}
