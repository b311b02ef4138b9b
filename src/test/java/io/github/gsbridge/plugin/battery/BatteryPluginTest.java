package io.github.gsbridge.plugin.battery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.gsbridge.credentials.DconfDump;
import io.github.gsbridge.desktop.DesktopFace;
import io.github.gsbridge.desktop.DesktopLauncher;
import io.github.gsbridge.desktop.FreedesktopNotifier;
import io.github.gsbridge.plugin.PluginSettings;
import io.github.gsbridge.testsupport.LogCapture;
import io.github.gsbridge.testsupport.LoopbackPhone;
import io.github.gsbridge.testsupport.NotificationServer;
import io.github.gsbridge.testsupport.PrivateBus;
import io.github.gsbridge.testsupport.UpowerOnUmockdev;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatteryPluginTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where no system bus is: the computer then has no UPower to ask. */
    private static final String NO_SYSTEM_BUS = "unix:path=/nonexistent/gsbridge-test-has-no-system-bus";
    private static final String PING = "kdeconnect.ping";

    @TempDir
    Path dir;

    private LoopbackPhone phone(String systemBus, Set<String> phoneTakes) throws Exception {
        return phone(systemBus, phoneTakes, PluginSettings.ownFile("battery", dir.resolve("config")));
    }

    private LoopbackPhone phone(String systemBus, Set<String> phoneTakes, PluginSettings settings) throws Exception {
        return LoopbackPhone.start(dir, events -> List.of(new BatteryPlugin(events, systemBus, settings)),
                phoneTakes, Set.of(BatteryPlugin.BATTERY));
    }

    /** A GSConnect whose dconf tree holds, for the phone, what {@code keys} holds then under plugin/battery/. */
    private static PluginSettings gsconnect(AtomicReference<String> keys, AtomicReference<String> phoneId) {
        return new PluginSettings("battery", true, "a GSConnect of the test's", (deviceId, key) -> Optional.ofNullable(
                deviceId.equals(phoneId.get()) ? DconfDump.parse("[battery]\n" + keys.get()).get("battery").get(key)
                        : null), Optional.empty());
    }

    private static BatteryPlugin plugin(LoopbackPhone phone) {
        return phone.daemon().plugins().get(BatteryPlugin.class);
    }

    private static void report(LoopbackPhone phone, String body) throws Exception {
        Packet packet = new Packet(BatteryPlugin.BATTERY);
        packet.body().setAll((ObjectNode) JSON.readTree(body));
        phone.peer().send(phone.link(), packet);
    }

    private static BatteryState reported(LoopbackPhone phone, String body, BatteryState expected) throws Exception {
        report(phone, body);
        return phone.events().await(BatteryPlugin.BatteryChanged.class, e -> e.state().equals(expected), WAIT).state();
    }

    @Test
    void thePhonesReportIsItsBatteryUntilItDisconnects() throws Exception {
        try (LoopbackPhone phone = phone(NO_SYSTEM_BUS, Set.of(BatteryPlugin.BATTERY))) {
            assertEquals(BatteryState.UNKNOWN, plugin(phone).state(phone.peerId()));
            reported(phone, "{\"currentCharge\":80,\"isCharging\":true,\"thresholdEvent\":0}",
                    new BatteryState(80, true, false));
            assertEquals(new BatteryState(80, true, false), plugin(phone).state(phone.peerId()));

            phone.peer().close();
            phone.events().await(BatteryPlugin.BatteryChanged.class, e -> e.state().equals(BatteryState.UNKNOWN), WAIT);
            assertEquals(BatteryState.UNKNOWN, plugin(phone).state(phone.peerId()));
        }
    }

    @Test
    void hostileLevelsAreRefusedWithTheDeviceTheTypeAndTheReason() throws Exception {
        try (LogCapture log = LogCapture.start();
             LoopbackPhone phone = phone(NO_SYSTEM_BUS, Set.of(BatteryPlugin.BATTERY))) {
            BatteryState fifty = reported(phone, "{\"currentCharge\":50,\"isCharging\":false}",
                    new BatteryState(50, false, false));
            List<String> hostile = List.of("{\"currentCharge\":-5}", "{\"currentCharge\":1000}",
                    "{\"currentCharge\":\"eighty\"}", "{\"currentCharge\":50,\"isCharging\":\"yes\"}",
                    "{\"currentCharge\":[1]}");
            for (String body : hostile) {
                report(phone, body);
            }
            log.await(WAIT, phone.peerId(), "refused kdeconnect.battery: currentCharge -5 is outside 0-100");
            log.await(WAIT, phone.peerId(), "refused kdeconnect.battery: currentCharge 1000 is outside 0-100");
            log.await(WAIT, phone.peerId(), "refused kdeconnect.battery: currentCharge is not a whole number of 64 bits: "
                    + "\"eighty\"");
            log.await(WAIT, phone.peerId(), "refused kdeconnect.battery: isCharging is not a boolean: \"yes\"");
            log.await(WAIT, phone.peerId(), "refused kdeconnect.battery: currentCharge is not a whole number of 64 bits: [1]");
            assertEquals(fifty, plugin(phone).state(phone.peerId()));
            assertEquals(1, phone.events().all(BatteryPlugin.BatteryChanged.class).size());
            // The daemon goes on: the next good report counts.
            reported(phone, "{\"currentCharge\":49}", new BatteryState(49, false, false));
        }
    }

    @Test
    void aLowBatteryIsShownOnTheDesktopOncePerTimeItRunsLow() throws Exception {
        try (PrivateBus session = PrivateBus.start(dir.resolve("session"));
             NotificationServer server = NotificationServer.start(session.address(), List.of("body"));
             FreedesktopNotifier desktop = new FreedesktopNotifier(session.address());
             LoopbackPhone phone = phone(NO_SYSTEM_BUS, Set.of(BatteryPlugin.BATTERY));
             DesktopFace face = new DesktopFace(desktop, new DesktopLauncher(Map.of()), phone.daemon().events(),
                     phone.daemon().devices()::find, Set.of(BatteryPlugin.LOW_BATTERY))) {
            reported(phone, "{\"currentCharge\":16,\"isCharging\":false,\"thresholdEvent\":0}",
                    new BatteryState(16, false, false));
            reported(phone, "{\"currentCharge\":15,\"isCharging\":false,\"thresholdEvent\":1}",
                    new BatteryState(15, false, true));
            NotificationServer.Call shown = server.await(call -> call.member().equals("Notify"), WAIT);
            assertEquals("RawPeer: battery low", shown.summary());
            assertEquals("15 % left. Time to plug it in.", shown.body());
            // Android's next report says nothing of the threshold: still low, and no second notice.
            reported(phone, "{\"currentCharge\":14,\"isCharging\":false,\"thresholdEvent\":0}",
                    new BatteryState(14, false, true));
            // The notice is decided on the plugin's thread; this waits for it.
            plugin(phone).computerBattery();
            assertEquals(1, phone.events().all(BatteryPlugin.BatteryLow.class).size());
            // Plugged in, then low again: a new notice.
            reported(phone, "{\"currentCharge\":14,\"isCharging\":true,\"thresholdEvent\":0}",
                    new BatteryState(14, true, false));
            reported(phone, "{\"currentCharge\":13,\"isCharging\":false,\"thresholdEvent\":1}",
                    new BatteryState(13, false, true));
            plugin(phone).computerBattery();
            assertEquals(2, phone.events().all(BatteryPlugin.BatteryLow.class).size());
            server.await(call -> call.member().equals("Notify") && call.body().startsWith("13 %"), WAIT);
        }
    }

    @Test
    void gsconnectUsersSwitchTheLowBatteryNoticeOffAsInGsconnect() throws Exception {
        AtomicReference<String> phoneId = new AtomicReference<>("");
        try (LoopbackPhone phone = phone(NO_SYSTEM_BUS, Set.of(BatteryPlugin.BATTERY),
                gsconnect(new AtomicReference<>("low-battery-notification=false\n"), phoneId))) {
            phoneId.set(phone.peerId());
            reported(phone, "{\"currentCharge\":5,\"isCharging\":false,\"thresholdEvent\":1}",
                    new BatteryState(5, false, true));
            plugin(phone).computerBattery();
            assertEquals(List.of(), phone.events().all(BatteryPlugin.BatteryLow.class));
        }
    }

    @Test
    void gsconnectUsersSendTheirBatteryOnlyToDevicesTheySwitchedItOnFor() throws Exception {
        AtomicReference<String> keys = new AtomicReference<>("");
        AtomicReference<String> phoneId = new AtomicReference<>("");
        try (LogCapture log = LogCapture.start();
             UpowerOnUmockdev upower = UpowerOnUmockdev.laptop(dir.resolve("upower"), 50, "Discharging");
             LoopbackPhone phone = phone(upower.systemBusAddress(), Set.of(BatteryPlugin.BATTERY, PING),
                     gsconnect(keys, phoneId))) {
            phoneId.set(phone.peerId());
            // GSConnect's default is off: nothing goes, and the log says why, once.
            Packet request = new Packet(BatteryPlugin.REQUEST);
            request.body().put("request", true);
            phone.peer().send(phone.link(), request);
            log.await(WAIT, phone.peerId(),
                    "this computer's battery is not sent: GSConnect's setting plugin/battery/send-statistics is off");
            plugin(phone).computerBattery();
            phone.device().send(new Packet(PING));
            phone.peer().awaitPacket(p -> p.isType(PING), WAIT);
            assertEquals(0, sentBatteries(phone));
            assertEquals(1, log.matching("GSConnect's setting plugin/battery/send-statistics is off").size());

            keys.set("send-statistics=true\n");
            upower.set(49, "Discharging");
            Packet sent = phone.peer().awaitPacket(p -> p.isType(BatteryPlugin.BATTERY), WAIT);
            assertEquals(49, sent.body().path("currentCharge").asInt());
        }
    }

    @Test
    void peersThatStillAnswerRequestsAreAskedOnConnect() throws Exception {
        try (LoopbackPhone phone = phone(NO_SYSTEM_BUS,
                Set.of(BatteryPlugin.BATTERY, BatteryPlugin.REQUEST))) {
            Packet request = phone.peer().awaitPacket(p -> p.isType(BatteryPlugin.REQUEST), WAIT);
            assertEquals(Optional.of(true), request.bool("request"));
        }
    }

    @Test
    void ourBatteryGoesToThePhoneAsUpowerReportsItAndChanges() throws Exception {
        try (UpowerOnUmockdev upower = UpowerOnUmockdev.laptop(dir.resolve("upower"), 12, "Discharging");
             LoopbackPhone phone = phone(upower.systemBusAddress(),
                     Set.of(BatteryPlugin.BATTERY))) {
            Packet first = phone.peer().awaitPacket(p -> p.isType(BatteryPlugin.BATTERY), WAIT);
            assertEquals(JSON.readTree("{\"currentCharge\":12,\"isCharging\":false,\"thresholdEvent\":1}"), first.body());

            upower.set(80, "Charging");
            Packet changed = phone.peer().awaitPacket(p -> p.isType(BatteryPlugin.BATTERY)
                    && p.body().path("currentCharge").asInt() == 80, WAIT);
            assertEquals(JSON.readTree("{\"currentCharge\":80,\"isCharging\":true,\"thresholdEvent\":0}"),
                    changed.body());

            // A peer that asks (GSConnect does) gets it again.
            int before = sentBatteries(phone);
            Packet request = new Packet(BatteryPlugin.REQUEST);
            request.body().put("request", true);
            phone.peer().send(phone.link(), request);
            phone.peer().awaitPacket(p -> p.isType(BatteryPlugin.BATTERY) && sentBatteries(phone) > before, WAIT);
        }
    }

    @Test
    void upowerStartingAfterUsAndAgainAfterItStoppedIsFollowed() throws Exception {
        try (LogCapture log = LogCapture.start();
             UpowerOnUmockdev upower = UpowerOnUmockdev.notStarted(dir.resolve("upower"));
             LoopbackPhone phone = phone(upower.systemBusAddress(), Set.of(BatteryPlugin.BATTERY))) {
            log.await(WAIT, "this computer's battery is not sent to devices: UPower does not answer on the system bus");

            upower.startLaptop(64, "Discharging");
            Packet started = phone.peer().awaitPacket(p -> p.isType(BatteryPlugin.BATTERY), WAIT);
            assertEquals(JSON.readTree("{\"currentCharge\":64,\"isCharging\":false,\"thresholdEvent\":0}"),
                    started.body());

            String gone = "this computer's battery is no longer sent to devices: UPower left the system bus";
            upower.stop();
            log.await(WAIT, gone);
            upower.startLaptop(71, "Charging");
            Packet again = phone.peer().awaitPacket(p -> p.isType(BatteryPlugin.BATTERY)
                    && p.body().path("currentCharge").asInt() == 71, WAIT);
            assertEquals(JSON.readTree("{\"currentCharge\":71,\"isCharging\":true,\"thresholdEvent\":0}"),
                    again.body());
            assertEquals(1, log.matching(gone).size(), log.matching("battery").toString());
        }
    }

    private static int sentBatteries(LoopbackPhone phone) {
        return (int) phone.peer().received().stream().filter(p -> p.isType(BatteryPlugin.BATTERY)).count();
    }

    @Test
    void aComputerWithoutBatterySendsNoneAndSaysSoOnce() throws Exception {
        try (LogCapture log = LogCapture.start();
             UpowerOnUmockdev upower = UpowerOnUmockdev.desktop(dir.resolve("upower"));
             LoopbackPhone phone = phone(upower.systemBusAddress(),
                     Set.of(BatteryPlugin.BATTERY, PING))) {
            assertNothingSentAndSaidOnce(log, phone, "this computer has no battery (UPower shows none)");
        }
    }

    @Test
    void aComputerWithoutUpowerSendsNoneAndSaysSoOnce() throws Exception {
        try (LogCapture log = LogCapture.start();
             PrivateBus systemBus = PrivateBus.startSystem(dir.resolve("system-bus"), List.of());
             LoopbackPhone phone = phone(systemBus.address(),
                     Set.of(BatteryPlugin.BATTERY, PING))) {
            assertNothingSentAndSaidOnce(log, phone,
                    "this computer's battery is not sent to devices: UPower does not answer on the system bus");
        }
    }

    @Test
    void aComputerWithoutSystemBusSendsNoneAndSaysSoOnce() throws Exception {
        try (LogCapture log = LogCapture.start();
             LoopbackPhone phone = phone(NO_SYSTEM_BUS, Set.of(BatteryPlugin.BATTERY, PING))) {
            assertNothingSentAndSaidOnce(log, phone, "this computer's battery is not sent to devices: no system bus at "
                    + NO_SYSTEM_BUS);
        }
    }

    private static void assertNothingSentAndSaidOnce(LogCapture log, LoopbackPhone phone, String said)
            throws Exception {
        log.await(WAIT, said);
        BatteryPlugin plugin = plugin(phone);
        // As when a second device connects: UPower is not asked again, nor is it said again.
        plugin.connected(phone.device());
        assertEquals(Optional.empty(), plugin.computerBattery());
        assertEquals(1, log.matching(said).size(), log.matching("battery").toString());
        // The link keeps order: whatever the plugin sent arrived before this.
        phone.device().send(new Packet(PING));
        phone.peer().awaitPacket(p -> p.isType(PING), WAIT);
        assertEquals(0, sentBatteries(phone), phone.peer().received().toString());
    }
}
