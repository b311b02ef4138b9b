package io.github.gsbridge.lan;

import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.TlsSockets;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.LineReader;
import io.github.gsbridge.wire.PacketCodec;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The protocol-8 identity exchange inside TLS, in the order kdeconnectd 25.04 needs: it writes its
 * identity first and reads only afterwards, dropping what came in before (issue 9, defect 2). When a
 * peer opened the connection, we are the TLS client and must stay silent until its identity is here.
 */
class IdentityOrderTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long the peer listens for bytes it did not ask for yet; ours would arrive within milliseconds. */
    private static final int SILENCE_MS = 500;

    @Test
    void asTlsClientWeAnswerTheIdentityOnlyAfterThePeersArrived() throws Exception {
        LocalCertificate ours = LocalCertificate.generate(LocalCertificate.newDeviceId());
        LocalCertificate theirs = LocalCertificate.generate(LocalCertificate.newDeviceId());
        var ports = Ports.freeRange(4);
        Set<String> capabilities = Set.of("kdeconnect.ping");
        try (RawPeer gsbridge = new RawPeer(ours, ours.deviceId(), 8, LoopbackNode.lanConfig(ports, ports.first()));
             Socket tcp = new Socket(InetAddress.getLoopbackAddress(), ports.first() + 1)) {
            // As kdeconnectd 25.04 after gsbridge's announcement: clear identity, then TLS server.
            Identity peer = Identity.of(theirs.deviceId(), "kdc", "desktop", 8, capabilities, capabilities);
            tcp.getOutputStream().write(PacketCodec.encode(peer.toPacket()));
            tcp.getOutputStream().flush();
            SSLSocket ssl = TlsSockets.create(theirs).serverOn(tcp);
            ssl.startHandshake();
            InputStream in = ssl.getInputStream();
            ssl.setSoTimeout(SILENCE_MS);
            assertThrows(SocketTimeoutException.class, in::read,
                    "gsbridge wrote before our identity, which kdeconnectd 25.04 would lose");

            OutputStream out = ssl.getOutputStream();
            out.write(PacketCodec.encode(peer.toPacket()));
            out.flush();
            ssl.setSoTimeout((int) WAIT.toMillis());
            byte[] line = new LineReader(in, PacketCodec.MAX_LINK_LINE).readLine(PacketCodec.MAX_IDENTITY_LINE);
            assertEquals(ours.deviceId(), Identity.fromPacket(PacketCodec.decode(line)).deviceId());
            assertEquals(theirs.deviceId(), gsbridge.awaitLink(WAIT).identity().deviceId());
        }
    }
}
