package io.github.gsbridge.plugin.battery;

import io.github.gsbridge.desktop.NotificationKind;
import io.github.gsbridge.desktop.ShownOnDesktop;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.plugin.BusInterface;
import io.github.gsbridge.plugin.BusProperty;
import io.github.gsbridge.plugin.BusSurface;
import io.github.gsbridge.plugin.DeviceRef;
import io.github.gsbridge.plugin.Plugin;
import io.github.gsbridge.plugin.PluginEvent;
import io.github.gsbridge.plugin.PluginSettings;
import io.github.gsbridge.wire.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code kdeconnect.battery} both ways: the device's battery as properties of
 * {@code io.github.gsbridge.Battery1}, with a desktop notification when it runs low; and this
 * computer's battery (UPower) to the devices, as kdeconnect-kde and GSConnect send theirs.
 */
public final class BatteryPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(BatteryPlugin.class);
    public static final String BATTERY = "kdeconnect.battery";
    /**
     * Asks for a battery packet. Current peers send theirs on connect and never ask; GSConnect
     * still sends and answers it, so we do too, with peers that list it.
     */
    public static final String REQUEST = "kdeconnect.battery.request";
    /** A device's low battery on the desktop. */
    public static final NotificationKind LOW_BATTERY = new NotificationKind("battery",
            "a device's battery running low", true);

    /** A device's battery changed (its properties on D-Bus with it). */
    public record BatteryChanged(String deviceId, BatteryState state) implements PluginEvent { }

    /** A device's battery ran low: a desktop notification, once per time it does. */
    public record BatteryLow(String deviceId, int charge) implements ShownOnDesktop {
        @Override
        public NotificationKind kind() {
            return LOW_BATTERY;
        }

        @Override
        public String title(String deviceName) {
            return deviceName + ": battery low";
        }

        @Override
        public String body() {
            return (charge == BatteryState.UNKNOWN_CHARGE ? "Its battery is almost empty." : charge + " % left.")
                    + " Time to plug it in.";
        }
    }

    /**
     * GSConnect's per-device switches: send our battery (off by default there), show a low one (on).
     * Without GSConnect both are on, as in KDE Connect.
     */
    static final PluginSettings.Switch SEND_STATISTICS = new PluginSettings.Switch("send-statistics", false, true);
    static final PluginSettings.Switch LOW_BATTERY_NOTIFICATION =
            new PluginSettings.Switch("low-battery-notification", true, true);

    private final EventBus events;
    private final String systemBus;
    private final PluginSettings settings;
    /** Devices already told in the log that GSConnect's switch keeps our battery from them. */
    private final Set<String> notSentSaid = ConcurrentHashMap.newKeySet();
    private final Map<String, BatteryState> states = new ConcurrentHashMap<>();
    private final Map<String, Device> connected = new ConcurrentHashMap<>();
    /** UPower's answers may take a while; they never hold up a link's thread. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "battery");
        thread.setDaemon(true);
        return thread;
    });
    // The fields below are the worker's only.
    private boolean upowerTried;
    private UPowerBattery upower;
    /** Whether UPower answered since it last left the bus; its departure is said once. */
    private boolean upowerAnswers;
    private Optional<BatteryState> own = Optional.empty();

    /**
     * @param systemBus the system bus address, where UPower tells this computer's battery
     * @param settings  the battery plugin's settings, GSConnect's when gsbridge runs with its identity
     */
    public BatteryPlugin(EventBus events, String systemBus, PluginSettings settings) {
        this.events = events;
        this.systemBus = systemBus;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "battery";
    }

    @Override
    public Set<String> incomingPacketTypes() {
        return Set.of(BATTERY, REQUEST);
    }

    /**
     * Announced whether or not this computer has a battery: kdeconnect-kde does the same (its
     * plugin's capabilities are fixed), and a peer decides from them whether to send us its own.
     */
    @Override
    public Set<String> outgoingPacketTypes() {
        return Set.of(BATTERY, REQUEST);
    }

    /** The device's battery as it last reported it; unknown when it has not, or is not connected. */
    public BatteryState state(String deviceId) {
        return states.getOrDefault(deviceId, BatteryState.UNKNOWN);
    }

    /**
     * This computer's battery as devices get it, empty when they get none; waits for what the
     * plugin was doing with UPower, so it is also the answer after the last change it took.
     */
    Optional<BatteryState> computerBattery() throws InterruptedException, ExecutionException {
        return worker.submit(() -> own).get();
    }

    @Override
    public void handle(Device device, Packet packet) {
        if (packet.isType(REQUEST)) {
            if (packet.bool("request").orElse(false)) {
                onWorker(() -> sendOwn(device));
            }
            return;
        }
        BatteryState before = state(device.id());
        BatteryState now;
        try {
            now = BatteryState.fromPacket(packet, before);
        } catch (BatteryState.RefusedReport e) {
            LOG.warn("{}: refused {}: {}; its battery stays as it was", device, BATTERY, e.getMessage());
            return;
        }
        if (now.low() && !before.low()) {
            LOG.info("{}: battery low ({} %)", device, now.charge());
            onWorker(() -> {
                if (on(device, LOW_BATTERY_NOTIFICATION)) {
                    events.publish(new BatteryLow(device.id(), now.charge()));
                }
            });
        }
        update(device, now);
    }

    @Override
    public void connected(Device device) {
        connected.put(device.id(), device);
        if (device.incomingCapabilities().contains(REQUEST)) {
            Packet request = new Packet(REQUEST);
            request.body().put("request", true);
            send(device, request);
        }
        onWorker(() -> {
            followUpower();
            sendOwn(device);
        });
    }

    @Override
    public void disconnected(Device device) {
        connected.remove(device.id());
        // A battery reading of a device that is gone would only grow older and wrong.
        update(device, BatteryState.UNKNOWN);
    }

    private void update(Device device, BatteryState now) {
        BatteryState before = states.put(device.id(), now);
        if (!now.equals(before == null ? BatteryState.UNKNOWN : before)) {
            events.publish(new BatteryChanged(device.id(), now));
        }
    }

    /**
     * Starts following UPower, once; says once why this computer's battery is not sent, if it is
     * not. Without UPower on the system bus the connection stays: UPower is read when it appears.
     */
    private void followUpower() {
        if (upowerTried) {
            return;
        }
        upowerTried = true;
        try {
            upower = UPowerBattery.connect(systemBus, () -> onWorker(this::ownChanged),
                    () -> onWorker(this::upowerGone));
        } catch (IOException e) {
            LOG.info("this computer's battery is not sent to devices: {}", e.getMessage());
            return;
        }
        try {
            own = upower.read();
            upowerAnswers = true;
            sayOwn();
        } catch (IOException e) {
            LOG.info("this computer's battery is not sent to devices: {}; it will be once UPower starts",
                    e.getMessage());
        }
    }

    private void sayOwn() {
        if (own.isEmpty()) {
            LOG.info("this computer has no battery (UPower shows none): devices get no battery reports from it");
        } else {
            LOG.info("this computer's battery, {}, goes to the devices (UPower)", own.get().describe());
        }
    }

    private void ownChanged() {
        if (upower == null) {
            return;
        }
        Optional<BatteryState> now;
        try {
            now = upower.read();
        } catch (IOException e) {
            LOG.info("this computer's battery: {}", e.getMessage());
            return;
        }
        boolean back = !upowerAnswers;
        upowerAnswers = true;
        if (now.equals(own) && !back) {
            return;
        }
        own = now;
        if (back) {
            sayOwn();
        }
        connected.values().forEach(this::sendOwn);
    }

    /** UPower left the system bus (stopped, or crashed): nothing is known of our battery until it is back. */
    private void upowerGone() {
        if (!upowerAnswers) {
            return;
        }
        upowerAnswers = false;
        own = Optional.empty();
        LOG.info("this computer's battery is no longer sent to devices: UPower left the system bus; it will be again "
                + "once UPower is back");
    }

    private void sendOwn(Device device) {
        if (own.isEmpty() || !device.incomingCapabilities().contains(BATTERY)) {
            return;
        }
        if (!on(device, SEND_STATISTICS)) {
            if (notSentSaid.add(device.id())) {
                LOG.info("{}: this computer's battery is not sent: {} is off for it", device,
                        settings.name(SEND_STATISTICS.key()));
            }
            return;
        }
        notSentSaid.remove(device.id());
        BatteryState state = own.get();
        Packet packet = new Packet(BATTERY);
        packet.body().put("currentCharge", state.charge())
                .put("isCharging", state.charging())
                .put("thresholdEvent", state.low() ? BatteryState.THRESHOLD_LOW : 0);
        send(device, packet);
    }

    /** The device's switch; its default when the settings cannot be read. */
    private boolean on(Device device, PluginSettings.Switch setting) {
        try {
            return settings.on(device.id(), setting);
        } catch (IOException e) {
            boolean otherwise = settings.byDefault(setting);
            LOG.info("{}: the battery settings are unreadable ({}); {} is taken as {}", device,
                    e.getMessage(), setting.key(), otherwise);
            return otherwise;
        }
    }

    private static void send(Device device, Packet packet) {
        try {
            device.send(packet);
        } catch (DeviceException e) {
            LOG.info("{}: {} not sent: {}", device, packet.type(), e.getMessage());
        }
    }

    private void onWorker(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("battery: stopped, {} dropped", task);
        }
    }

    @Override
    public BusSurface busSurface(DeviceRef device) {
        Battery1 battery = device::path;
        return new BusSurface(List.of(BusInterface.of(Battery1.class, battery, List.of(
                new BusProperty("Charge", "i", () -> state(device.id()).charge()),
                new BusProperty("Charging", "b", () -> state(device.id()).charging()),
                new BusProperty("Low", "b", () -> state(device.id()).low())),
                "io.github.gsbridge.Battery1.xml")), List.of());
    }

    @Override
    public void close() {
        worker.shutdownNow();
        // After the worker: it may be reading UPower until then.
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (upower != null) {
            upower.close();
        }
    }
}
