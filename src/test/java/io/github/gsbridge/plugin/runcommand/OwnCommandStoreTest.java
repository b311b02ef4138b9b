package io.github.gsbridge.plugin.runcommand;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gsbridge's own lists, without GSConnect: one private JSON file. */
class OwnCommandStoreTest {
    private static final String PHONE = "0123456789abcdef0123456789abcdef";
    private static final String TABLET = "fedcba9876543210fedcba9876543210";

    @TempDir
    Path dir;

    @Test
    void listsAreKeptPerDeviceInAPrivateFile() throws Exception {
        OwnCommandStore store = new OwnCommandStore(dir);
        store.put(PHONE, "k1", new Command("Lock", "loginctl lock-session"));
        store.put(TABLET, "k2", new Command("Suspend", "systemctl suspend"));

        Path file = dir.resolve("runcommand.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        OwnCommandStore reread = new OwnCommandStore(dir);
        assertEquals(Map.of("k1", new Command("Lock", "loginctl lock-session")), reread.list(PHONE));
        assertEquals(Map.of("k2", new Command("Suspend", "systemctl suspend")), reread.list(TABLET));

        assertTrue(reread.remove(PHONE, "k1"));
        assertFalse(reread.remove(PHONE, "k1"));
        assertFalse(reread.remove(PHONE, "k2"), "another device's key");
        assertEquals(Map.of(), store.list(PHONE));
        assertEquals(1, store.list(TABLET).size());
    }

    @Test
    void aBrokenFileIsAnErrorNamingIt() throws Exception {
        Path file = dir.resolve("runcommand.json");
        Files.writeString(file, "{\"" + PHONE + "\": {\"k1\": ");
        IOException broken = assertThrows(IOException.class, () -> new OwnCommandStore(dir).list(PHONE));
        assertTrue(broken.getMessage().startsWith(file + " is not valid JSON: "), broken.getMessage());

        Files.writeString(file, "[]");
        IOException array = assertThrows(IOException.class, () -> new OwnCommandStore(dir).list(PHONE));
        assertEquals(file + " does not hold a JSON object of device ids", array.getMessage());
    }

    @Test
    void entriesThatAreNoCommandAreLeftOut() throws Exception {
        Files.writeString(dir.resolve("runcommand.json"), "{\"" + PHONE + "\": {\"good\": {\"name\": \"Lock\","
                + " \"command\": \"loginctl lock-session\"}, \"number\": 5, \"half\": {\"name\": \"x\"},"
                + " \"typed\": {\"name\": \"x\", \"command\": [\"rm\", \"-rf\"]}}}");
        assertEquals(Map.of("good", new Command("Lock", "loginctl lock-session")), new OwnCommandStore(dir).list(PHONE));
    }
}
