package io.github.gsbridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.plugin.PluginSettings;
import io.github.gsbridge.plugin.battery.Battery1;
import io.github.gsbridge.plugin.battery.BatteryPlugin;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.BusFixture;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.UpowerOnUmockdev;
import org.freedesktop.dbus.interfaces.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The battery end to end: beta, a gsbridge on a laptop whose UPower (the real upowerd on a fake
 * sysfs) reports its battery, sends it to alpha; alpha shows it on D-Bus and the command line.
 */
class BatteryCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private UpowerOnUmockdev upower;
    private BusFixture fx;
    private LoopbackNode beta;
    private String path;

    @BeforeEach
    void start() throws Exception {
        upower = UpowerOnUmockdev.laptop(dir.resolve("upower"), 12, "Discharging");
        fx = new BusFixture(dir.resolve("fixture"));
        beta = fx.startPeer("beta", fx.betaPorts, wiring -> List.of(new BatteryPlugin(wiring.events(),
                upower.systemBusAddress(), PluginSettings.ownFile("battery", dir.resolve("config")))));
        path = DbusService.devicePath(beta.id());
        fx.paired(beta);
    }

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
        if (upower != null) {
            upower.close();
        }
    }

    private String gsbridge(String... args) {
        return run(0, args);
    }

    /** Runs the command, expecting {@code status}; returns stdout, or stderr when it failed. */
    private String run(int status, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(List.of(args), new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("DBUS_SESSION_BUS_ADDRESS", fx.bus.address()),
                false, dir));
        assertEquals(status, exit, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
        return (status == 0 ? out : err).toString(StandardCharsets.UTF_8);
    }

    @Test
    void theLaptopsBatteryIsAPropertyOfItsDeviceAndFollowsUpower() throws Exception {
        fx.awaitProperty(path, "Charge", 12);
        assertEquals(12, fx.property(path, Battery1.NAME, "Charge"));
        assertEquals(false, fx.property(path, Battery1.NAME, "Charging"));
        assertEquals(true, fx.property(path, Battery1.NAME, "Low"));
        String introspection = fx.gdbus.introspectXml(DbusService.BUS_NAME, path);
        assertTrue(introspection.contains("interface name=\"io.github.gsbridge.Battery1\"")
                && introspection.contains("property name=\"Charge\" type=\"i\""), introspection);

        upower.set(80, "Charging");
        Properties.PropertiesChanged changed = fx.await(Properties.PropertiesChanged.class,
                s -> s.getPath().equals(path) && s.getInterfaceName().equals(Battery1.NAME)
                        && Integer.valueOf(80).equals(s.getPropertiesChanged().get("Charge").getValue()));
        assertEquals(true, changed.getPropertiesChanged().get("Charging").getValue());
        assertEquals(false, changed.getPropertiesChanged().get("Low").getValue());
    }

    @Test
    void devicesAndBatteryTellTheChargeInWords() throws Exception {
        fx.awaitProperty(path, "Charge", 12);
        String devices = gsbridge("devices");
        assertTrue(devices.contains("beta  " + beta.id() + "  paired, reachable, battery 12 %, low"), devices);
        assertEquals("beta: battery 12 %, low\n", gsbridge("battery", "-d", "beta"));
        assertEquals(JSON.readTree("{\"charge\":12,\"charging\":false,\"low\":true}"),
                JSON.readTree(gsbridge("battery", "-d", "beta", "--json")));
    }

    @Test
    void aDeviceWithoutBatteryPluginSaysSo() throws Exception {
        fx.startPeer("gamma", Ports.freeRange(7), wiring -> List.of(new PingPlugin(wiring.events())));
        assertEquals("gsbridge battery: gamma does not tell its battery (it has no battery plugin)\n",
                run(1, "battery", "-d", "gamma"));
        assertTrue(!gsbridge("devices").lines().filter(line -> line.startsWith("gamma")).findFirst().orElseThrow()
                .contains("battery"));
    }
}
