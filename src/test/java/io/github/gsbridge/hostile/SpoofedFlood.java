package io.github.gsbridge.hostile;

import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.PacketCodec;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Ten announcements a second, each from another 127.x address and with another device id. */
final class SpoofedFlood implements AutoCloseable {
    private final Thread thread;
    private final AtomicInteger sent = new AtomicInteger();

    /** Announcements to the daemon's discovery port {@code udpPort}, naming {@code tcpPort} as theirs. */
    SpoofedFlood(int udpPort, int tcpPort) {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), udpPort);
        thread = new Thread(() -> {
            try {
                for (int i = 0; ; i++) {
                    Identity fake = Identity.of(LocalCertificate.newDeviceId(), "spoofed", "phone", 8, Set.of(),
                            Set.of()).withTcpPort(tcpPort);
                    byte[] data = PacketCodec.encode(fake.toPacket());
                    InetAddress source = InetAddress.getByAddress(
                            new byte[] {127, 0, (byte) (1 + i / 200 % 200), (byte) (10 + i % 200)});
                    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(source, 0))) {
                        socket.send(new DatagramPacket(data, data.length, target));
                    }
                    sent.incrementAndGet();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // stopped
            }
        }, "spoofed-flood");
        thread.setDaemon(true);
        thread.start();
    }

    int sent() {
        return sent.get();
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join();
    }
}
