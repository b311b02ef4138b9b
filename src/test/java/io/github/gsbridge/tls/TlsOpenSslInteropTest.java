package io.github.gsbridge.tls;

import io.github.gsbridge.tls.OpenSsl.KeyFormat;
import io.github.gsbridge.tls.OpenSsl.PemFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our TLS ends against the real openssl, standing in for kdeconnectd (which uses OpenSSL via Qt). */
class TlsOpenSslInteropTest {
    /** What kdeconnectd as TLS client puts in SNI: its device id, underscores and all. */
    private static final String UNDERSCORE_SNI = "_abc_def_with_underscore_";

    /** The TLS 1.2 suites Debian's kdeconnectd 22.12 restricts itself to. */
    private static final String KDECONNECTD_TLS12_CIPHERS =
            "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA";

    private static final int TIMEOUT_MILLIS = 20_000;

    @TempDir
    static Path dir;

    static TlsSockets rsa;
    static TlsSockets ec;
    /** The identity openssl presents, GSConnect-shaped. */
    static PemFiles peer;
    static X509Certificate peerCertificate;

    @BeforeAll
    static void identities() throws Exception {
        OpenSsl.executable();
        PemFiles gsconnect = OpenSsl.gsconnectIdentity(dir, "gsconnect", KeyFormat.RSA_PKCS8);
        rsa = TlsSockets.create(LocalCertificate.load(gsconnect.certificate(), gsconnect.privateKey()));
        ec = TlsSockets.create(LocalCertificate.generate(LocalCertificate.newDeviceId()));
        peer = OpenSsl.gsconnectIdentity(dir, "peer", KeyFormat.EC_SEC1);
        peerCertificate = Pem.readCertificate(peer.certificate());
    }

    private static TlsSockets byKey(String algorithm) {
        return "RSA".equals(algorithm) ? rsa : ec;
    }

    /** What the openssl client offers. */
    enum Offer {
        ANYTHING(List.of()),
        KDECONNECTD_TLS12_SUITES(List.of("-tls1_2", "-cipher", KDECONNECTD_TLS12_CIPHERS)),
        // A peer without AES instructions prefers ChaCha20 (BoringSSL on such phones does).
        CHACHA20_TLS13(List.of("-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256")),
        CHACHA20_TLS12(List.of("-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"));

        final List<String> arguments;

        Offer(List<String> arguments) {
            this.arguments = arguments;
        }
    }

    static Stream<Arguments> clientCases() {
        return Stream.of(
                Arguments.of("EC", Offer.ANYTHING, "TLSv1.3", "TLS_AES_256_GCM_SHA384"),
                Arguments.of("RSA", Offer.ANYTHING, "TLSv1.3", "TLS_AES_256_GCM_SHA384"),
                Arguments.of("EC", Offer.KDECONNECTD_TLS12_SUITES, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
                // kdeconnectd's list has no RSA GCM suite, so GSConnect's RSA key ends up on CBC.
                Arguments.of("RSA", Offer.KDECONNECTD_TLS12_SUITES, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
                Arguments.of("RSA", Offer.CHACHA20_TLS13, "TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"),
                Arguments.of("EC", Offer.CHACHA20_TLS12, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
                Arguments.of("RSA", Offer.CHACHA20_TLS12, "TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));
    }

    /** The SNI regression: a client sending an underscore device id as server name must get through. */
    @ParameterizedTest(name = "our {0} server, the openssl client offering {1}")
    @MethodSource("clientCases")
    void openSslClientWithUnderscoreSniReachesOurServer(String serverKey, Offer offer,
                                                        String protocol, String cipherSuite) throws Exception {
        TlsSockets ours = byKey(serverKey);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket listener = new ServerSocket(0, 1, loopback)) {
            listener.setSoTimeout(TIMEOUT_MILLIS);
            List<String> arguments = new ArrayList<>(List.of("s_client",
                    "-connect", "127.0.0.1:" + listener.getLocalPort(), "-servername", UNDERSCORE_SNI,
                    "-cert", peer.certificate().toString(), "-key", peer.privateKey().toString()));
            arguments.addAll(offer.arguments);
            try (OpenSsl.Running client = new OpenSsl.Running(dir, arguments.toArray(String[]::new));
                 SSLSocket tls = ours.serverOn(listener.accept())) {
                tls.setSoTimeout(TIMEOUT_MILLIS);
                tls.startHandshake();

                assertTrue(Certificates.sameCertificate(peerCertificate, TlsSockets.peerCertificate(tls)));
                assertEquals(protocol, tls.getSession().getProtocol());
                assertEquals(cipherSuite, tls.getSession().getCipherSuite());

                client.send("hello from openssl\n");
                BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("hello from openssl", in.readLine());
                OutputStream out = tls.getOutputStream();
                out.write("hello from gsbridge\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                String output = client.awaitOutput("hello from gsbridge");

                X509Certificate seenByOpenSsl = Pem.parseCertificate(pemAfter("Server certificate", output), "s_client");
                assertTrue(Certificates.sameCertificate(ours.localCertificate().certificate(), seenByOpenSsl));
            }
        }
    }

    static Stream<Arguments> serverCases() {
        return Stream.of(
                Arguments.of("EC", false, "TLSv1.3"),
                Arguments.of("RSA", false, "TLSv1.3"),
                Arguments.of("EC", true, "TLSv1.2"),
                Arguments.of("RSA", true, "TLSv1.2"));
    }

    @ParameterizedTest(name = "our {0} client, openssl TLS 1.2 only: {1}")
    @MethodSource("serverCases")
    void ourClientSendsCertificateAndNoSniToOpenSslServer(String clientKey, boolean tls12Only, String protocol)
            throws Exception {
        TlsSockets ours = byKey(clientKey);
        List<String> arguments = new ArrayList<>(List.of("s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
                "-cert", peer.certificate().toString(), "-key", peer.privateKey().toString(),
                "-Verify", "1", "-tlsextdebug"));
        if (tls12Only) {
            arguments.add("-tls1_2");
        }
        try (OpenSsl.Running server = new OpenSsl.Running(dir, arguments.toArray(String[]::new))) {
            Matcher accept = Pattern.compile("ACCEPT 127\\.0\\.0\\.1:(\\d+)")
                    .matcher(server.awaitOutput("ACCEPT 127.0.0.1:"));
            assertTrue(accept.find());
            int port = Integer.parseInt(accept.group(1));

            try (SSLSocket tls = ours.clientOn(new Socket(InetAddress.getLoopbackAddress(), port))) {
                tls.setSoTimeout(TIMEOUT_MILLIS);
                tls.startHandshake();

                assertTrue(Certificates.sameCertificate(peerCertificate, TlsSockets.peerCertificate(tls)));
                assertEquals(protocol, tls.getSession().getProtocol());

                OutputStream out = tls.getOutputStream();
                out.write("hello from gsbridge\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                server.awaitOutput("hello from gsbridge");
                server.send("hello from openssl\n");
                BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("hello from openssl", in.readLine());
            }
            String output = server.finish();

            X509Certificate seenByOpenSsl = Pem.parseCertificate(pemAfter("Client certificate", output), "s_server");
            assertTrue(Certificates.sameCertificate(ours.localCertificate().certificate(), seenByOpenSsl));
            // -tlsextdebug lists each extension of our ClientHello; the control proves the listing is there.
            assertTrue(output.contains("TLS client extension \"supported_groups\""), output);
            assertFalse(output.contains("TLS client extension \"server name\""), output);
        }
    }

    /** The PEM block openssl printed right after {@code heading}. */
    private static String pemAfter(String heading, String output) {
        Matcher block = Pattern.compile(Pattern.quote(heading)
                + "\\R(-----BEGIN CERTIFICATE-----\\R.*?-----END CERTIFICATE-----)", Pattern.DOTALL).matcher(output);
        assertTrue(block.find(), () -> "openssl printed no '" + heading + "':\n" + output);
        return block.group(1);
    }
}
