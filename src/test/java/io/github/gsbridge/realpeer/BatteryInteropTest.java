package io.github.gsbridge.realpeer;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.credentials.GsconnectDconf;
import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.KdeConnectSetup;
import io.github.gsbridge.testsupport.KdeConnectVersion;
import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.UpowerOnUmockdev;
import io.github.gsbridge.testsupport.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Map;

import static io.github.gsbridge.testsupport.GsbridgeProcess.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Battery both ways between gsbridge and the real kdeconnectd (22.12 and 25.04), each on a laptop of
 * its own: the real upowerd on a fake sysfs (umockdev), one per side on a private system bus, which
 * kdeconnectd reads through Solid and gsbridge directly. kdeconnectd shows what we send on its
 * battery object; gsbridge reports what it sends as events.
 */
@ParameterizedClass
@EnumSource(KdeConnectVersion.class)
class BatteryInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Parameter
    KdeConnectVersion version;

    @RegisterExtension
    final Stage<KdeConnectSetup> stage = KdeConnectSetup.eachTest(() -> version);

    /** kdeconnectd's battery of us (its battery plugin's object), as gdbus prints it, e.g. {@code 12}. */
    private String kdeconnectdSees(KdeConnectPeer kdc, String property) {
        ManagedProcess.Result r = kdc.gdbusCall(KdeConnectPeer.BUS_NAME,
                "/modules/kdeconnect/devices/" + stage.get().gsconnect().deviceId() + "/battery",
                "org.freedesktop.DBus.Properties.Get", "org.kde.kdeconnect.device.battery", property);
        return r.ok() ? r.stdout().strip().replaceAll("^\\(<(.*)>,\\)$", "$1") : "(" + r.stderr().strip() + ")";
    }

    private void awaitKdeconnectdSees(KdeConnectPeer kdc, String charge, String charging) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!(kdeconnectdSees(kdc, "charge").equals(charge) && kdeconnectdSees(kdc, "isCharging").equals(charging))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("kdeconnectd sees our battery at " + kdeconnectdSees(kdc, "charge")
                        + ", charging " + kdeconnectdSees(kdc, "isCharging") + "; expected " + charge + ", " + charging
                        + "\n" + kdc.log().tail(40));
            }
            Thread.sleep(100);
        }
    }

    private static JsonNode awaitBattery(GsbridgeProcess gsbridge, KdeConnectPeer kdc, int charge) throws Exception {
        return gsbridge.awaitEvent(e -> event("BatteryChanged", kdc.deviceId()).test(e)
                && e.path("state").path("charge").asInt() == charge, WAIT).path("state");
    }

    @Test
    void twoLaptopsTellEachOtherTheirBatteryAsItChanges() throws Exception {
        KdeConnectSetup setup = stage.get();
        UpowerOnUmockdev theirs = setup.track(
                UpowerOnUmockdev.laptop(setup.dir().resolve("kdc-upower"), 42, "Discharging"));
        UpowerOnUmockdev ours = setup.track(
                UpowerOnUmockdev.laptop(setup.dir().resolve("our-upower"), 12, "Discharging"));
        KdeConnectPeer kdc = setup.track(setup.prePaired().systemBus(theirs.systemBusAddress()).build());
        // gsbridge runs with GSConnect's settings, whose "send statistics" is off unless switched on.
        setup.gsconnect().dconf().write(
                GsconnectDconf.PATH + "device/" + kdc.deviceId() + "/plugin/battery/send-statistics", "true");
        GsbridgeProcess gsbridge = setup.link(kdc, Map.of("DBUS_SYSTEM_BUS_ADDRESS", ours.systemBusAddress()));

        JsonNode theirBattery = awaitBattery(gsbridge, kdc, 42);
        assertEquals(false, theirBattery.path("charging").asBoolean());
        assertEquals(false, theirBattery.path("low").asBoolean());
        awaitKdeconnectdSees(kdc, "12", "false");

        theirs.set(10, "Discharging");
        // kdeconnect-kde calls its own battery low at 15 % and below while discharging.
        assertEquals(true, awaitBattery(gsbridge, kdc, 10).path("low").asBoolean());
        theirs.set(11, "Charging");
        JsonNode charging = awaitBattery(gsbridge, kdc, 11);
        assertEquals(true, charging.path("charging").asBoolean());
        assertEquals(false, charging.path("low").asBoolean());

        ours.set(80, "Charging");
        awaitKdeconnectdSees(kdc, "80", "true");
    }
}
