package io.github.gsbridge.credentials;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** Writes only the keys whose value differs, so a reconnect costs one write, not six. */
    @Override
    public synchronized void save(PairedDevice device) throws IOException {
        GsconnectSettings settings = settings();
        Map<String, Object> current = settings.deviceKeys(device.id());
        String dir = GsconnectDconf.PATH + "device/" + device.id() + "/";
        try {
            // Certificate before paired=true: GSConnect pins from certificate-pem as soon as paired is set.
            writeIfChanged(current, dir, "certificate-pem", device.certificatePem());
            writeIfChanged(current, dir, "name", device.name());
            writeIfChanged(current, dir, "type", device.type());
            if (device.lastConnection().isPresent()) {
                writeIfChanged(current, dir, "last-connection", device.lastConnection().get());
            }
            if (!Boolean.TRUE.equals(current.get("paired"))) {
                dconf.write(dir + "paired", GVariantText.formatBoolean(true));
            }
            if (!settings.deviceIds().contains(device.id())) {
                List<String> ids = new ArrayList<>(settings.deviceIds());
                ids.add(device.id());
                dconf.write(GsconnectDconf.PATH + "devices", GVariantText.formatStringArray(ids));
            }
        } catch (DconfException e) {
            throw new IOException("cannot record the pairing of " + device.id() + " in dconf: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void recordConnection(PairedDevice seen, Set<String> incoming, Set<String> outgoing)
            throws IOException {
        GsconnectSettings settings = settings();
        if (settings.pairedDevices().stream().noneMatch(d -> d.id().equals(seen.id()))) {
            return;
        }
        Map<String, Object> current = settings.deviceKeys(seen.id());
        String dir = GsconnectDconf.PATH + "device/" + seen.id() + "/";
        try {
            writeIfChanged(current, dir, "name", seen.name());
            writeIfChanged(current, dir, "type", seen.type());
            if (seen.lastConnection().isPresent()) {
                writeIfChanged(current, dir, "last-connection", seen.lastConnection().get());
            }
            // GSConnect stores sorted copies of the identity's lists.
            for (Map.Entry<String, Set<String>> entry : Map.of("incoming-capabilities", incoming,
                    "outgoing-capabilities", outgoing).entrySet()) {
                List<String> sorted = new ArrayList<>(new TreeSet<>(entry.getValue()));
                if (!sorted.equals(current.get(entry.getKey()))) {
                    dconf.write(dir + entry.getKey(), GVariantText.formatStringArray(sorted));
                }
            }
        } catch (DconfException e) {
            throw new IOException("cannot record the connection of " + seen.id() + " in dconf: " + e.getMessage(), e);
        }
    }

    private void writeIfChanged(Map<String, Object> current, String dir, String key, String value)
            throws DconfException {
        if (!value.equals(current.get(key))) {
            dconf.write(dir + key, GVariantText.formatString(value));
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
