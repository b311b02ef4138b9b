package io.github.gsbridge.lan;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which lines of {@code ip -o monitor link address} (as iproute2 6.1 prints them) mean new reach. */
class NetworkMonitorTest {
    @Test
    void aLinkComingUpOrANewIpv4AddressCounts() {
        assertTrue(NetworkMonitor.bringsReach("3: wlan0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue "
                + "state UP group default \\    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff"));
        assertTrue(NetworkMonitor.bringsReach("7: tailscale0    inet 100.64.0.7/32 scope global tailscale0\\       "
                + "valid_lft forever preferred_lft forever"));
    }

    @Test
    void goingDownLosingAnAddressOrIpv6AloneDoesNot() {
        assertFalse(NetworkMonitor.bringsReach("3: wlan0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue "
                + "state DOWN group default \\    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff"));
        assertFalse(NetworkMonitor.bringsReach("Deleted 7: tailscale0    inet 100.64.0.7/32 scope global tailscale0"));
        assertFalse(NetworkMonitor.bringsReach("3: wlan0    inet6 fe80::1/64 scope link \\       valid_lft forever"));
    }
}
