package io.github.gsbridge.lan;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Where the LAN backend listens and announces, and how long it keeps strangers. The defaults are
 * the KDE Connect ports; tests move them so several daemons can share one host.
 *
 * @param udpPort            port our discovery socket binds (1716)
 * @param peerUdpPort        port peers listen on for announcements (1716)
 * @param tcpPorts           range for the link listener (1716-1764)
 * @param payloadPorts       range for payload listeners (1739-1764)
 * @param broadcastAddresses where announcements go; empty = 255.255.255.255 and every interface's broadcast address
 * @param peerTcpPorts       link ports we connect to when a peer announces one (1716-1764)
 * @param peerPayloadPorts   payload ports we fetch from (1739-1764); nothing else is ever contacted
 * @param unpairedIdle       how long the link of a device that is not paired stays without a pair request (60 s)
 */
public record LanConfig(int udpPort, int peerUdpPort, PortRange tcpPorts, PortRange payloadPorts,
                        List<InetAddress> broadcastAddresses, PortRange peerTcpPorts, PortRange peerPayloadPorts,
                        Duration unpairedIdle) {
    public static final int DEFAULT_UDP_PORT = 1716;
    public static final PortRange DEFAULT_TCP_PORTS = new PortRange(1716, 1764);
    public static final PortRange DEFAULT_PAYLOAD_PORTS = new PortRange(1739, 1764);
    /** Long enough to find the pair button; each such link costs a thread and TLS buffers. */
    public static final Duration DEFAULT_UNPAIRED_IDLE = Duration.ofSeconds(60);

    public LanConfig {
        broadcastAddresses = List.copyOf(broadcastAddresses);
        if (unpairedIdle.isNegative() || unpairedIdle.isZero()) {
            throw new IllegalArgumentException("unpairedIdle must be positive: " + unpairedIdle);
        }
    }

    /** With the default {@link #unpairedIdle()}. */
    public LanConfig(int udpPort, int peerUdpPort, PortRange tcpPorts, PortRange payloadPorts,
                     List<InetAddress> broadcastAddresses, PortRange peerTcpPorts, PortRange peerPayloadPorts) {
        this(udpPort, peerUdpPort, tcpPorts, payloadPorts, broadcastAddresses, peerTcpPorts, peerPayloadPorts,
                DEFAULT_UNPAIRED_IDLE);
    }

    public static LanConfig defaults() {
        return new LanConfig(DEFAULT_UDP_PORT, DEFAULT_UDP_PORT, DEFAULT_TCP_PORTS, DEFAULT_PAYLOAD_PORTS, List.of(),
                DEFAULT_TCP_PORTS, DEFAULT_PAYLOAD_PORTS);
    }

    /** The same with another {@link #unpairedIdle()}: tests need not wait a minute. */
    public LanConfig withUnpairedIdle(Duration idle) {
        return new LanConfig(udpPort, peerUdpPort, tcpPorts, payloadPorts, broadcastAddresses, peerTcpPorts,
                peerPayloadPorts, idle);
    }
}
