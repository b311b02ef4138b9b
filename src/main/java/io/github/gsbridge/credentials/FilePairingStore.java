package io.github.gsbridge.credentials;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** gsbridge's own pairing store for machines without GSConnect: one JSON file, mode 0600. */
public final class FilePairingStore implements PairingStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public FilePairingStore(Path file) {
        this.file = file;
    }

    /** The JSON shape; Optional does not map cleanly, so last-connection is nullable here. */
    private record Entry(String id, String name, String type, String certificatePem, String lastConnection) {
    }

    @Override
    public synchronized Map<String, PairedDevice> load() throws IOException {
        Map<String, PairedDevice> devices = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return devices;
        }
        List<Entry> entries;
        try {
            entries = JSON.readValue(file.toFile(), new TypeReference<List<Entry>>() { });
        } catch (IOException e) {
            throw new IOException(file + ": unreadable pairing store: " + e.getMessage(), e);
        }
        for (Entry entry : entries) {
            if (entry.id() == null || entry.certificatePem() == null) {
                throw new IOException(file + ": entry without id or certificatePem");
            }
            devices.put(entry.id(), new PairedDevice(entry.id(), entry.name() == null ? entry.id() : entry.name(),
                    entry.type() == null ? "smartphone" : entry.type(), entry.certificatePem(),
                    Optional.ofNullable(entry.lastConnection())));
        }
        return devices;
    }

    @Override
    public synchronized void save(PairedDevice device) throws IOException {
        Map<String, PairedDevice> devices = load();
        devices.put(device.id(), device);
        write(devices);
    }

    @Override
    public synchronized void recordConnection(PairedDevice seen, Set<String> incoming, Set<String> outgoing)
            throws IOException {
        Map<String, PairedDevice> devices = load();
        PairedDevice stored = devices.get(seen.id());
        if (stored == null) {
            return;
        }
        PairedDevice updated = new PairedDevice(stored.id(), seen.name(), seen.type(), stored.certificatePem(),
                seen.lastConnection());
        if (!updated.equals(stored)) {
            devices.put(updated.id(), updated);
            write(devices);
        }
    }

    @Override
    public synchronized void remove(String deviceId) throws IOException {
        Map<String, PairedDevice> devices = load();
        if (devices.remove(deviceId) != null) {
            write(devices);
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }

    private void write(Map<String, PairedDevice> devices) throws IOException {
        List<Entry> entries = devices.values().stream()
                .map(d -> new Entry(d.id(), d.name(), d.type(), d.certificatePem(), d.lastConnection().orElse(null)))
                .toList();
        PrivateJsonFile.write(file, entries);
    }
}
