package io.github.gsbridge.plugin.findmyphone;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.testsupport.LoopbackPhone;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FindMyPhonePluginTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void ringSendsAnEmptyRequest() throws Exception {
        try (LoopbackPhone phone = LoopbackPhone.start(dir, events -> List.of(new FindMyPhonePlugin()),
                Set.of(FindMyPhonePlugin.REQUEST), Set.of())) {
            phone.daemon().plugins().get(FindMyPhonePlugin.class).ring(phone.device());
            Packet ring = phone.peer().awaitPacket(p -> p.isType(FindMyPhonePlugin.REQUEST), WAIT);
            assertEquals(new ObjectMapper().createObjectNode(), ring.body());
        }
    }

    @Test
    void aDeviceThatCannotRingSaysSo() throws Exception {
        try (LoopbackPhone phone = LoopbackPhone.start(dir, events -> List.of(new FindMyPhonePlugin()),
                Set.of("kdeconnect.ping"), Set.of())) {
            DeviceException refused = assertThrows(DeviceException.class,
                    () -> phone.daemon().plugins().get(FindMyPhonePlugin.class).ring(phone.device()));
            assertEquals(phone.peerId() + " does not accept kdeconnect.findmyphone.request", refused.getMessage());
        }
    }
}
