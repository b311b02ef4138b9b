package io.github.gsbridge.daemon;

import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.lan.PeerAddress;
import io.github.gsbridge.lan.PortRange;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Addresses the user gives ({@code gsbridge connect}): kept in gsbridge's folder and dialled until linked. */
class RememberedAddressesTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void storeKeepsAddressesInOrderAcrossInstances() throws IOException {
        RememberedAddresses store = new RememberedAddresses(dir);
        assertEquals(List.of(), store.load());
        assertTrue(store.add(PeerAddress.parse("phone.tail1234.ts.net")));
        assertTrue(store.add(PeerAddress.parse("100.64.0.7:1716")));
        assertTrue(store.add(PeerAddress.parse("[fd7a:115c::5]:1716")));
        assertFalse(store.add(PeerAddress.parse("Phone.tail1234.ts.net")), "host names are case-insensitive");
        assertEquals(List.of("phone.tail1234.ts.net", "100.64.0.7:1716", "[fd7a:115c::5]:1716"),
                new RememberedAddresses(dir).load().stream().map(PeerAddress::toString).toList());
        assertTrue(store.remove(PeerAddress.parse("100.64.0.7:1716")));
        assertFalse(store.remove(PeerAddress.parse("100.64.0.7:1716")));
        assertEquals(List.of("phone.tail1234.ts.net", "[fd7a:115c::5]:1716"),
                new RememberedAddresses(dir).load().stream().map(PeerAddress::toString).toList());
    }

    @Test
    void aDamagedFileIsReportedWithItsName() throws IOException {
        Files.writeString(dir.resolve(RememberedAddresses.FILE_NAME), "[\"ok.example\", \"host:99999\"]");
        IOException error = assertThrows(IOException.class, () -> new RememberedAddresses(dir).load());
        assertTrue(error.getMessage().contains(RememberedAddresses.FILE_NAME) && error.getMessage().contains("99999"),
                error.getMessage());
    }

    private LoopbackNode start(Path home, String name, PortRange ports) throws Exception {
        // Announcements go to a port nobody listens on: only a remembered address brings the two together.
        LoopbackNode node = LoopbackNode.start(home, name, ports, Ports.freeRange(1).first(),
                wiring -> List.of(new PingPlugin(wiring.events())));
        running.add(node);
        return node;
    }

    @Test
    void aRememberedAddressIsDialledAtOnceAndAgainAfterARestart() throws Exception {
        PortRange alphaPorts = Ports.freeRange(4);
        PortRange betaPorts = Ports.freeRange(4);
        LoopbackNode beta = start(dir.resolve("beta"), "beta", betaPorts);
        LoopbackNode alpha = start(dir.resolve("alpha"), "alpha", alphaPorts);

        assertTrue(alpha.daemon().rememberAddress(PeerAddress.parse("127.0.0.1:" + betaPorts.first())));
        beta.awaitConnected(alpha);
        assertEquals(List.of("127.0.0.1:" + betaPorts.first()),
                alpha.daemon().rememberedAddresses().stream().map(PeerAddress::toString).toList());

        alpha.close();
        beta.events().await(DeviceEvent.Disconnected.class, e -> e.deviceId().equals(alpha.id()), LoopbackNode.WAIT);
        beta.events().clear();
        LoopbackNode again = start(dir.resolve("alpha"), "alpha", alphaPorts);
        assertEquals(alpha.id(), again.id());
        beta.awaitConnected(again);
    }

    @Test
    void aForgottenAddressIsNotDialledAfterARestart() throws Exception {
        PortRange alphaPorts = Ports.freeRange(4);
        LoopbackNode alpha = start(dir.resolve("alpha"), "alpha", alphaPorts);
        PeerAddress address = PeerAddress.parse("127.0.0.1:" + Ports.freeRange(1).first());
        alpha.daemon().rememberAddress(address);
        assertTrue(alpha.daemon().forgetAddress(address));
        assertFalse(alpha.daemon().forgetAddress(address));
        alpha.close();
        LoopbackNode again = start(dir.resolve("alpha"), "alpha", alphaPorts);
        assertEquals(List.of(), again.daemon().rememberedAddresses());
    }
}
