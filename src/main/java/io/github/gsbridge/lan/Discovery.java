package io.github.gsbridge.lan;

import io.github.gsbridge.threads.Threads;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.InvalidIdentityException;
import io.github.gsbridge.wire.MalformedPacketException;
import io.github.gsbridge.wire.Packet;
import io.github.gsbridge.wire.PacketCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * UDP discovery on port 1716: announces our identity and reports peers' announcements. The port
 * is shared (SO_REUSEADDR) the way kdeconnect-kde and current GSConnect bind it.
 */
final class Discovery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);
    private static final int RECEIVE_BUFFER = 256 * 1024;
    private static final byte[] BROADCAST_ALL = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};

    private final LanConfig config;
    private final Supplier<Identity> announcement;
    private final BiConsumer<Identity, InetAddress> onPeer;
    private final RateLimiter perDevice = new RateLimiter(1000, 4096);
    private final RateLimiter perAddress = new RateLimiter(1000, 4096);
    private DatagramSocket socket;
    private Thread receiver;

    /**
     * @param announcement our identity including {@code tcpPort}
     * @param onPeer       called (on the receiver thread) for each valid, rate-limited peer announcement
     */
    Discovery(LanConfig config, Supplier<Identity> announcement, BiConsumer<Identity, InetAddress> onPeer) {
        this.config = config;
        this.announcement = announcement;
        this.onPeer = onPeer;
    }

    void start() throws IOException {
        DatagramSocket s = new DatagramSocket(null);
        try {
            s.setReuseAddress(true);
            s.setBroadcast(true);
            s.setReceiveBufferSize(RECEIVE_BUFFER);
            s.bind(new InetSocketAddress(config.udpPort()));
        } catch (SocketException e) {
            s.close();
            throw new IOException("cannot bind UDP port " + config.udpPort() + ": " + e.getMessage(), e);
        }
        socket = s;
        receiver = Threads.start("discovery-udp-" + config.udpPort(), this::receiveLoop);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Broadcasts our identity on every IPv4 network (and to any configured address). */
    void announce() {
        for (InetAddress target : targets()) {
            announceTo(target);
        }
    }

    void announceTo(InetAddress target) {
        announceTo(target, config.peerUdpPort());
    }

    void announceTo(InetAddress target, int udpPort) {
        byte[] data = PacketCodec.encode(announcement.get().toPacket());
        try {
            socket.send(new DatagramPacket(data, data.length, target, udpPort));
            LOG.debug("announced to {}:{}", target.getHostAddress(), udpPort);
        } catch (IOException e) {
            LOG.debug("cannot announce to {}: {}", target.getHostAddress(), e.getMessage());
        }
    }

    private Set<InetAddress> targets() {
        Set<InetAddress> targets = new LinkedHashSet<>(config.broadcastAddresses());
        if (!targets.isEmpty()) {
            return targets;
        }
        try {
            targets.add(InetAddress.getByAddress(BROADCAST_ALL));
            // 255.255.255.255 leaves only through the default route; each network's own
            // broadcast address reaches the others.
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InterfaceAddress address : nic.getInterfaceAddresses()) {
                    InetAddress broadcast = address.getBroadcast();
                    // An address configured without a broadcast reports 0.0.0.0, which means "this host".
                    if (address.getAddress() instanceof Inet4Address && broadcast != null
                            && !broadcast.isAnyLocalAddress()) {
                        targets.add(broadcast);
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list network interfaces: {}", e.getMessage());
        }
        return targets;
    }

    private void receiveLoop() {
        byte[] buffer = new byte[64 * 1024];
        DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
        while (!socket.isClosed()) {
            try {
                datagram.setLength(buffer.length);
                socket.receive(datagram);
                handle(datagram);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.warn("UDP discovery receive failed: {}", e.getMessage());
                }
            } catch (RuntimeException e) {
                LOG.warn("UDP discovery: unexpected error for a datagram from {}", datagram.getAddress(), e);
            }
        }
    }

    private void handle(DatagramPacket datagram) {
        InetAddress sender = datagram.getAddress();
        int length = datagram.getLength();
        if (length > PacketCodec.MAX_IDENTITY_LINE) {
            LOG.debug("ignored {}-byte UDP datagram from {}: larger than an identity may be", length, sender);
            return;
        }
        Identity identity;
        try {
            Packet packet = PacketCodec.decode(datagram.getData(), datagram.getOffset(), length);
            identity = Identity.fromPacket(packet);
        } catch (MalformedPacketException | InvalidIdentityException e) {
            LOG.debug("ignored UDP announcement from {}: {}", sender.getHostAddress(), e.getMessage());
            return;
        }
        if (identity.deviceId().equals(announcement.get().deviceId())) {
            return;
        }
        if (identity.tcpPort() == null || !config.peerTcpPorts().contains(identity.tcpPort())) {
            LOG.debug("ignored announcement of {} from {}: tcpPort {} outside {}", identity.deviceId(),
                    sender.getHostAddress(), identity.tcpPort(), config.peerTcpPorts());
            return;
        }
        if (!perAddress.tryAcquire(sender) || !perDevice.tryAcquire(identity.deviceId())) {
            LOG.trace("rate-limited announcement of {} from {}", identity.deviceId(), sender.getHostAddress());
            return;
        }
        onPeer.accept(identity, sender);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.close();
        }
        if (receiver != null) {
            try {
                receiver.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
