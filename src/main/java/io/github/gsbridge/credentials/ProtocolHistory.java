package io.github.gsbridge.credentials;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The highest protocol version each paired device has spoken to us, so that one coming back with a
 * lower version can be refused: an attacker who has the device's key must not talk it down to an
 * older handshake. kdeconnect-kde keeps this in {@code trusted_devices}; GSConnect's dconf has no
 * key for it, so gsbridge keeps it in its own file whichever identity it uses.
 */
public final class ProtocolHistory {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolHistory.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private Map<String, Integer> highest;

    public ProtocolHistory(Path file) {
        this.file = file;
    }

    /** The highest version {@code deviceId} spoke while paired; 0 when none is known. */
    public synchronized int highest(String deviceId) {
        return loaded().getOrDefault(deviceId, 0);
    }

    /** Remembers {@code version} for a paired device if it is higher than what is known. */
    public synchronized void record(String deviceId, int version) {
        if (version > highest(deviceId)) {
            loaded().put(deviceId, version);
            save();
        }
    }

    /** Forgets a device that is no longer paired: a new pairing starts from nothing. */
    public synchronized void forget(String deviceId) {
        if (loaded().remove(deviceId) != null) {
            save();
        }
    }

    private Map<String, Integer> loaded() {
        if (highest == null) {
            highest = new TreeMap<>();
            try {
                highest.putAll(JSON.readValue(Files.readAllBytes(file), new TypeReference<Map<String, Integer>>() { }));
            } catch (NoSuchFileException e) {
                // nothing recorded yet
            } catch (IOException | RuntimeException e) {
                // Losing the floor only makes downgrades possible again; it must not stop the daemon.
                LOG.warn("{}: unreadable ({}); protocol versions are remembered afresh", file, e.getMessage());
            }
            highest.values().removeIf(version -> version == null);
        }
        return highest;
    }

    private void save() {
        try {
            PrivateJsonFile.write(file, highest);
        } catch (IOException e) {
            LOG.warn("{}: cannot be written ({}); protocol versions are kept until gsbridge stops", file,
                    e.getMessage());
        }
    }
}
