package io.github.gsbridge.lan;

import java.net.InetAddress;
import java.util.List;

/**
 * Where the LAN backend listens and announces. The defaults are the KDE Connect ports; tests move
 * them so several daemons can share one host.
 *
 * @param udpPort            port our discovery socket binds (1716)
 * @param peerUdpPort        port peers listen on for announcements (1716)
 * @param tcpPorts           range for the link listener (1716-1764)
 * @param payloadPorts       range for payload listeners (1739-1764)
 * @param broadcastAddresses where announcements go; empty = 255.255.255.255 and every interface's broadcast address
 * @param peerTcpPorts       link ports we connect to when a peer announces one (1716-1764)
 * @param peerPayloadPorts   payload ports we fetch from (1739-1764); nothing else is ever contacted
 */
public record LanConfig(int udpPort, int peerUdpPort, PortRange tcpPorts, PortRange payloadPorts,
                        List<InetAddress> broadcastAddresses, PortRange peerTcpPorts, PortRange peerPayloadPorts) {
    public static final int DEFAULT_UDP_PORT = 1716;
    public static final PortRange DEFAULT_TCP_PORTS = new PortRange(1716, 1764);
    public static final PortRange DEFAULT_PAYLOAD_PORTS = new PortRange(1739, 1764);

    public LanConfig {
        broadcastAddresses = List.copyOf(broadcastAddresses);
    }

    public static LanConfig defaults() {
        return new LanConfig(DEFAULT_UDP_PORT, DEFAULT_UDP_PORT, DEFAULT_TCP_PORTS, DEFAULT_PAYLOAD_PORTS, List.of(),
                DEFAULT_TCP_PORTS, DEFAULT_PAYLOAD_PORTS);
    }
}
