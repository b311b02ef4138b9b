package io.github.gsbridge.dbus;

import org.freedesktop.dbus.DBusPath;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One object per device id: ids that kdeconnect-kde would fold together stay apart on the bus. */
class DevicePathTest {
    @Test
    void idsThatDifferOnlyInDashAndUnderscoreGetTheirOwnObjects() {
        String phone = "a909ed85_cf7e_4844_8dec_c6e5eadd077e";
        String stranger = "a909ed85-cf7e-4844-8dec-c6e5eadd077e";
        assertNotEquals(DbusService.devicePath(phone), DbusService.devicePath(stranger));
        Set<String> paths = new HashSet<>();
        for (String id : List.of(phone, stranger, "a909ed85_2dcf7e_4844_8dec_c6e5eadd07", "_a909ed85_cf7e_4844_8dec_c6e5eadd077e_",
                "a909ed85_5fcf7e_4844_8dec_c6e5eadd0")) {
            assertTrue(paths.add(DbusService.devicePath(id)), "two ids share " + DbusService.devicePath(id));
        }
    }

    @Test
    void todaysIdsKeepTheirPaths() {
        String id = "0123456789abcdef0123456789ABCDEF";
        assertEquals(DbusService.MANAGER_PATH + "/Device/" + id, DbusService.devicePath(id));
    }

    @Test
    void everyPathIsAValidObjectPath() {
        for (String id : List.of("_e6e29ad4_2b31_4c8f_9a1d_3f5e7b9c1d2e_", "a909ed85-cf7e-4844-8dec-c6e5eadd077e")) {
            String path = DbusService.devicePath(id);
            assertTrue(path.matches("(/[A-Za-z0-9_]+)+"), path);
            assertEquals(path, new DBusPath(path).getPath());
        }
        assertEquals(DbusService.MANAGER_PATH + "/Device/_5fe6e2_2d9a", DbusService.devicePath("_e6e2-9a"));
    }
}
