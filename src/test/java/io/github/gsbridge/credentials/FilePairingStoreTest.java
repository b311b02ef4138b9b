package io.github.gsbridge.credentials;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FilePairingStoreTest {
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    @TempDir
    Path dir;

    @Test
    void savesLoadsAndRemovesWithPrivateFileMode() throws Exception {
        FilePairingStore store = new FilePairingStore(dir.resolve("devices.json"));
        PairedDevice phone = new PairedDevice("0123456789abcdef0123456789abcdef", "Phone", "phone", PEM,
                Optional.of("lan://10.0.0.2:1716"));
        store.save(phone);
        assertEquals(phone, store.load().get(phone.id()));
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(dir.resolve("devices.json")));
        store.remove(phone.id());
        assertFalse(store.load().containsKey(phone.id()));
    }

    @Test
    void recordingAConnectionNeverPairs() throws Exception {
        FilePairingStore store = new FilePairingStore(dir.resolve("devices.json"));
        PairedDevice phone = new PairedDevice("0123456789abcdef0123456789abcdef", "Phone", "phone", PEM,
                Optional.empty());
        // Unpaired meanwhile (or never paired): a connection record must not bring it back.
        store.recordConnection(phone, Set.of(), Set.of());
        assertFalse(store.load().containsKey(phone.id()));

        store.save(phone);
        PairedDevice seen = new PairedDevice(phone.id(), "Renamed", "tablet", "another certificate",
                Optional.of("lan://10.0.0.3:1716"));
        store.recordConnection(seen, Set.of(), Set.of());
        PairedDevice stored = store.load().get(phone.id());
        assertEquals("Renamed", stored.name());
        assertEquals(Optional.of("lan://10.0.0.3:1716"), stored.lastConnection());
        assertEquals(PEM, stored.certificatePem(), "the pinned certificate is only changed by pairing");
    }

    @Test
    void aCorruptStoreIsReportedByName() throws Exception {
        Path file = dir.resolve("devices.json");
        Files.writeString(file, "{not json");
        java.io.IOException error = assertThrows(java.io.IOException.class, () -> new FilePairingStore(file).load());
        assertEquals(true, error.getMessage().contains(file.toString()), error.getMessage());
    }
}
