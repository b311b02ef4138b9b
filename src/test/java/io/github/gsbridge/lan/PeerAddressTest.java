package io.github.gsbridge.lan;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerAddressTest {
    @Test
    void readsTheFormsUsersAndGsconnectWrite() {
        assertEquals(new PeerAddress("10.0.0.5", Optional.empty()), PeerAddress.parse("10.0.0.5"));
        assertEquals(new PeerAddress("10.0.0.5", Optional.of(1716)), PeerAddress.parse(" 10.0.0.5:1716 "));
        assertEquals(new PeerAddress("10.0.0.5", Optional.of(1716)), PeerAddress.parse("lan://10.0.0.5:1716"));
        assertEquals(new PeerAddress("phone.tail1234.ts.net", Optional.empty()),
                PeerAddress.parse("Phone.Tail1234.ts.net"));
        assertEquals(new PeerAddress("fd7a:115c::5", Optional.empty()), PeerAddress.parse("fd7a:115c::5"));
        assertEquals(new PeerAddress("fd7a:115c::5", Optional.of(1716)), PeerAddress.parse("[fd7a:115c::5]:1716"));
        assertEquals(1716, PeerAddress.parse("10.0.0.5").portOr(1716));
        assertEquals(1800, PeerAddress.parse("10.0.0.5:1800").portOr(1716));
    }

    @Test
    void writesWhatItReadsBack() {
        for (String text : List.of("10.0.0.5", "10.0.0.5:1716", "phone.example", "fd7a:115c::5", "[fd7a:115c::5]:9")) {
            assertEquals(PeerAddress.parse(text), PeerAddress.parse(PeerAddress.parse(text).toString()), text);
        }
        assertEquals("[fd7a:115c::5]:9", PeerAddress.parse("[fd7a:115c::5]:9").toString());
    }

    @Test
    void refusesWhatIsNoAddressSayingWhy() {
        for (String bad : List.of("", "lan://", "10.0.0.5:0", "10.0.0.5:99999", "10.0.0.5/path", "user@10.0.0.5",
                "10.0.0.5?x=1", "http://10.0.0.5", "a b")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> PeerAddress.parse(bad), bad);
            assertTrue(error.getMessage().contains("\"" + bad + "\""), error.getMessage());
        }
    }
}
