package io.github.gsbridge.dbus;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.credentials.IdentityLoader;
import io.github.gsbridge.daemon.Daemon;
import io.github.gsbridge.daemon.DaemonOptions;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.plugin.Plugins;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.PrivateBus;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.Pem;
import io.github.gsbridge.transfer.Transfers;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restarted daemon lists its paired devices on D-Bus at once, even while it waits for the
 * ports (GSConnect holds them) and before any device connects.
 */
class PairedDevicesAtStartTest {
    @TempDir
    Path dir;

    @Test
    void pairedDevicesAreExportedBeforeTheyConnect() throws Exception {
        String phoneId = LocalCertificate.newDeviceId();
        String tabletId = LocalCertificate.newDeviceId();
        Path config = Files.createDirectories(dir.resolve("gsbridge"));
        writePairings(config, Map.of(phoneId, "Pixel 7"));
        DaemonOptions options = new DaemonOptions(Optional.of("desktop"), "desktop", IdentityLoader.Choice.OWN,
                config, dir.resolve("gsconnect"), "dconf", LoopbackNode.lanConfig(Ports.freeRange(7), 1), false, Set.of(), false,
                OptionalInt.empty());
        EventBus events = new EventBus();
        try (PrivateBus bus = PrivateBus.start(dir.resolve("bus"));
             Daemon daemon = Daemon.create(options, events, new Transfers(events),
                     new Plugins(List.of(new PingPlugin(events))));
             DBusConnection client = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build()) {
            // never activated: as while GSConnect holds the ports
            try (DbusService service = DbusService.start(daemon, DBusConnectionBuilder.forAddress(bus.address())
                    .withShared(false).build())) {
                ObjectManager manager = client.getRemoteObject(DbusService.BUS_NAME, "/io/github/gsbridge",
                        ObjectManager.class);
                assertTrue(manager.GetManagedObjects().keySet().stream()
                        .anyMatch(path -> path.getPath().equals(DbusService.devicePath(phoneId))),
                        "the paired phone is listed: " + manager.GetManagedObjects().keySet());

                // paired behind our back (GSConnect, or the store edited): known as soon as it is read
                writePairings(config, Map.of(phoneId, "Pixel 7", tabletId, "Tab"));
                daemon.devices().reloadPairings();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (manager.GetManagedObjects().keySet().stream()
                        .noneMatch(path -> path.getPath().equals(DbusService.devicePath(tabletId)))) {
                    assertTrue(System.nanoTime() < deadline, "the newly paired tablet is listed");
                    Thread.sleep(50);
                }
            }
        }
    }

    private static void writePairings(Path config, Map<String, String> devices) throws Exception {
        List<Map<String, String>> records = new java.util.ArrayList<>();
        for (Map.Entry<String, String> device : devices.entrySet()) {
            records.add(Map.of("id", device.getKey(), "name", device.getValue(), "type", "phone", "certificatePem",
                    Pem.encode(LocalCertificate.generate(device.getKey()).certificate())));
        }
        new ObjectMapper().writeValue(config.resolve("devices.json").toFile(), records);
    }
}
