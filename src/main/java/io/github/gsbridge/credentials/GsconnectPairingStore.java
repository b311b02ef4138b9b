package io.github.gsbridge.credentials;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pairings in GSConnect's dconf tree, read and written the way GSConnect does, so a device paired
 * by either program is trusted by both.
 */
public final class GsconnectPairingStore implements PairingStore {
    private final Dconf dconf;

    public GsconnectPairingStore(Dconf dconf) {
        this.dconf = dconf;
    }

    /**
     * One key of a device's settings for one of GSConnect's plugins
     * ({@code device/<id>/plugin/<plugin>/<key>}), in GVariant text; empty when unset. Which
     * plugin and which keys is the plugins' knowledge, not this store's.
     */
    public Optional<String> pluginValue(String deviceId, String plugin, String key) throws IOException {
        try {
            return dconf.read(pluginKey(deviceId, plugin, key));
        } catch (DconfException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Sets a plugin's key to {@code gvariantText}, or resets it to GSConnect's default when empty. */
    public void writePluginValue(String deviceId, String plugin, String key, Optional<String> gvariantText)
            throws IOException {
        String path = pluginKey(deviceId, plugin, key);
        try {
            if (gvariantText.isPresent()) {
                dconf.write(path, gvariantText.get());
            } else {
                dconf.reset(path);
            }
        } catch (DconfException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static String pluginKey(String deviceId, String plugin, String key) {
        return GsconnectDconf.PATH + "device/" + deviceId + "/plugin/" + plugin + "/" + key;
    }

    public GsconnectSettings settings() throws IOException {
        try {
            return GsconnectDconf.read(dconf);
        } catch (DconfException | DconfFormatException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public Map<String, PairedDevice> load() throws IOException {
        Map<String, PairedDevice> devices = new java.util.LinkedHashMap<>();
        for (PairedDevice device : settings().pairedDevices()) {
            devices.put(device.id(), device);
        }
        return devices;
    }

    /**
     * Writes the keys whose value differs as one dconf change. Key by key, a reader (our own
     * {@code dconf watch}, or GSConnect) could see the device half-written, certificate set but
     * not yet paired or listed, and take it for unpaired.
     */
    @Override
    public synchronized void save(PairedDevice device) throws IOException {
        GsconnectSettings settings = settings();
        Map<String, Object> current = settings.deviceKeys(device.id());
        ChangeSet change = new ChangeSet(device.id(), current);
        change.put("certificate-pem", device.certificatePem());
        describe(change, device);
        change.put("paired", true);
        String root = "";
        if (!settings.deviceIds().contains(device.id())) {
            List<String> ids = new ArrayList<>(settings.deviceIds());
            ids.add(device.id());
            root = "[/]\ndevices=" + GVariantText.formatStringArray(ids) + "\n\n";
        }
        apply(root + change.keyfile(), "the pairing of " + device.id());
    }

    @Override
    public synchronized void recordConnection(PairedDevice seen, Set<String> incoming, Set<String> outgoing)
            throws IOException {
        GsconnectSettings settings = settings();
        if (settings.pairedDevices().stream().noneMatch(d -> d.id().equals(seen.id()))) {
            return;
        }
        ChangeSet change = new ChangeSet(seen.id(), settings.deviceKeys(seen.id()));
        describe(change, seen);
        // GSConnect stores sorted copies of the identity's lists.
        change.putList("incoming-capabilities", incoming);
        change.putList("outgoing-capabilities", outgoing);
        apply(change.keyfile(), "the connection of " + seen.id());
    }

    private static void describe(ChangeSet change, PairedDevice device) {
        change.put("name", device.name());
        change.put("type", device.type());
        device.lastConnection().ifPresent(uri -> change.put("last-connection", uri));
    }

    private void apply(String keyfile, String what) throws IOException {
        if (keyfile.isEmpty()) {
            return;
        }
        try {
            dconf.load(GsconnectDconf.PATH, keyfile);
        } catch (DconfException e) {
            throw new IOException("cannot record " + what + " in dconf: " + e.getMessage(), e);
        }
    }

    /** The keys of one device's group that differ from what dconf holds, in GVariant text. */
    private static final class ChangeSet {
        private final String deviceId;
        private final Map<String, Object> current;
        private final Map<String, String> device = new java.util.LinkedHashMap<>();

        ChangeSet(String deviceId, Map<String, Object> current) {
            this.deviceId = deviceId;
            this.current = current;
        }

        void put(String key, String value) {
            if (!value.equals(current.get(key))) {
                device.put(key, GVariantText.formatString(value));
            }
        }

        void put(String key, boolean value) {
            if (!Boolean.valueOf(value).equals(current.get(key))) {
                device.put(key, GVariantText.formatBoolean(value));
            }
        }

        void putList(String key, Set<String> values) {
            List<String> sorted = new ArrayList<>(new TreeSet<>(values));
            if (!sorted.equals(current.get(key))) {
                device.put(key, GVariantText.formatStringArray(sorted));
            }
        }

        String keyfile() {
            if (device.isEmpty()) {
                return "";
            }
            StringBuilder text = new StringBuilder("[device/").append(deviceId).append("]\n");
            device.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
            return text.toString();
        }
    }

    @Override
    public synchronized void remove(String deviceId) throws IOException {
        String dir = GsconnectDconf.PATH + "device/" + deviceId + "/";
        try {
            dconf.write(dir + "paired", GVariantText.formatBoolean(false));
            dconf.reset(dir + "certificate-pem");
        } catch (DconfException e) {
            throw new IOException("cannot record the unpairing of " + deviceId + " in dconf: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "dconf " + GsconnectDconf.PATH;
    }
}
