package io.github.gsbridge.tls;

import io.github.gsbridge.threads.Threads;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * TLS for KDE Connect links, built once at start-up from our {@link LocalCertificate}.
 *
 * <p>{@link #serverOn} and {@link #clientOn} wrap an already connected plain socket and return it
 * <em>before</em> the handshake: the caller sets its own {@code setSoTimeout} and calls
 * {@code startHandshake()}, then pins the peer with {@link #peerCertificate}. Which side is the TLS
 * server is the caller's decision (on the main link, the side that opened the TCP connection).
 *
 * <p>Runs on BouncyCastle's JSSE provider because kdeconnectd sends a device id with underscores
 * as SNI, which the JDK's own TLS server rejects as an illegal host name. The provider instance is
 * private to this class and not registered with {@link java.security.Security}; its cryptography
 * runs on the JDK's providers, whose AES-GCM uses CPU intrinsics, except where the JDK lacks an
 * algorithm BCJSSE needs (see {@link JdkFirstJcaJceHelper}).
 */
public final class TlsSockets {
    private static final Logger log = LoggerFactory.getLogger(TlsSockets.class);

    private static final String ALIAS = "gsbridge";

    private static final List<String> PREFERRED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * AEAD suites first; both ECDHE-ECDSA and ECDHE-RSA because our key may be either, and the
     * provider skips those our key cannot serve. The CBC suite last, for old peers that offer
     * nothing better (Debian's kdeconnectd 22.12 offers it next to the two ECDSA GCM suites).
     */
    private static final List<String> PREFERRED_CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");

    static {
        BouncyCastleLogging.install();
    }

    private static final Provider JSSE = new BouncyCastleJsseProvider(false, new JcaTlsCryptoProvider() {
        private final JcaJceHelper helper = new JdkFirstJcaJceHelper();

        @Override
        public JcaJceHelper getHelper() {
            return helper;
        }
    });

    private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(10);

    private final LocalCertificate local;
    private final SSLSocketFactory factory;
    private final String[] protocols;
    private final String[] cipherSuites;

    private TlsSockets(LocalCertificate local, SSLSocketFactory factory, String[] protocols, String[] cipherSuites) {
        this.local = local;
        this.factory = factory;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
    }

    public static TlsSockets create(LocalCertificate local) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS", JSSE);
        context.init(new KeyManager[] {new FixedKeyManager(local)},
                new TrustManager[] {new AnyCertificateTrustManager()}, new SecureRandom());
        SSLParameters supported = context.getSupportedSSLParameters();
        String[] protocols = intersect(PREFERRED_PROTOCOLS, supported.getProtocols());
        String[] cipherSuites = intersect(PREFERRED_CIPHER_SUITES, supported.getCipherSuites());
        if (protocols.length == 0 || cipherSuites.length == 0) {
            throw new GeneralSecurityException("TLS provider supports none of " + PREFERRED_PROTOCOLS
                    + " / " + PREFERRED_CIPHER_SUITES);
        }
        log.debug("TLS protocols {}, cipher suites {}", Arrays.asList(protocols), Arrays.asList(cipherSuites));
        return new TlsSockets(local, context.getSocketFactory(), protocols, cipherSuites);
    }

    public LocalCertificate localCertificate() {
        return local;
    }

    /**
     * TLS server on {@code connected}, requiring a client certificate, handshake not yet started.
     * Closing the returned socket closes {@code connected}; it gets TCP_NODELAY.
     */
    public SSLSocket serverOn(Socket connected) throws IOException {
        SSLSocket socket = wrap(connected);
        socket.setUseClientMode(false);
        SSLParameters parameters = baseParameters(socket);
        parameters.setNeedClientAuth(true);
        parameters.setUseCipherSuitesOrder(true);
        socket.setSSLParameters(parameters);
        return socket;
    }

    /**
     * TLS client on {@code connected}, handshake not yet started. Sends no SNI: peers are reached by
     * IP address and identified by certificate, and SNI with a device id only provokes errors.
     * Closing the returned socket closes {@code connected}; it gets TCP_NODELAY.
     */
    public SSLSocket clientOn(Socket connected) throws IOException {
        SSLSocket socket = wrap(connected);
        socket.setUseClientMode(true);
        SSLParameters parameters = baseParameters(socket);
        parameters.setServerNames(List.of());
        parameters.setEndpointIdentificationAlgorithm(null);
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** The certificate the peer presented; call after the handshake completed. */
    public static X509Certificate peerCertificate(SSLSocket socket) throws SSLPeerUnverifiedException {
        Certificate[] chain = socket.getSession().getPeerCertificates();
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
            throw new SSLPeerUnverifiedException("peer presented no X.509 certificate");
        }
        return certificate;
    }

    /**
     * Performs one handshake with ourselves over loopback, so that class loading, JIT and provider
     * look-ups are done before the first peer connects: peers abort handshakes that take more than
     * about a second, and a cold first handshake can take longer than that.
     */
    public void warmUp() throws IOException {
        long started = System.nanoTime();
        int timeoutMillis = (int) WARM_UP_TIMEOUT.toMillis();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket listener = new ServerSocket(0, 1, loopback)) {
            listener.setSoTimeout(timeoutMillis);
            FutureTask<Void> serverSide = new FutureTask<>(() -> {
                try (SSLSocket server = serverOn(listener.accept())) {
                    server.setSoTimeout(timeoutMillis);
                    server.startHandshake();
                    server.getOutputStream().write(1);
                    server.getOutputStream().flush();
                }
                return null;
            });
            Threads.start("tls-warm-up", serverSide);
            try (SSLSocket client = clientOn(new Socket(loopback, listener.getLocalPort()))) {
                client.setSoTimeout(timeoutMillis);
                client.startHandshake();
                if (client.getInputStream().read() != 1) {
                    throw new IOException("TLS warm-up: server sent no data");
                }
            }
            awaitWarmUpServer(serverSide);
        }
        log.debug("TLS warm-up handshake took {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static void awaitWarmUpServer(FutureTask<Void> serverSide) throws IOException {
        try {
            serverSide.get(WARM_UP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("TLS warm-up: server side failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            serverSide.cancel(true);
            throw new IOException("TLS warm-up: server side did not finish in " + WARM_UP_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("TLS warm-up interrupted", e);
        }
    }

    private SSLSocket wrap(Socket connected) throws IOException {
        if (!connected.isConnected()) {
            throw new IllegalArgumentException("socket is not connected");
        }
        // A handshake flight is several small writes; with Nagle's algorithm each waits for the
        // peer's delayed ACK (40 ms on Linux), and KDE Connect packets are small and interactive too.
        connected.setTcpNoDelay(true);
        String peerHost = connected.getInetAddress().getHostAddress();
        return (SSLSocket) factory.createSocket(connected, peerHost, connected.getPort(), true);
    }

    private SSLParameters baseParameters(SSLSocket socket) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(protocols.clone());
        parameters.setCipherSuites(cipherSuites.clone());
        return parameters;
    }

    private static String[] intersect(List<String> preferred, String[] available) {
        Set<String> availableSet = Set.of(available);
        return preferred.stream().filter(availableSet::contains).toArray(String[]::new);
    }

    /**
     * Offers our one key for every request. BCJSSE itself drops it for key types it cannot serve
     * (an EC key for an RSA suite), and, unlike its PKIX key manager, this one does not try to
     * match the requested server name, which kdeconnectd fills with an underscore device id.
     */
    private static final class FixedKeyManager extends X509ExtendedKeyManager {
        private final X509Certificate[] chain;
        private final PrivateKey key;

        FixedKeyManager(LocalCertificate local) {
            this.chain = new X509Certificate[] {local.certificate()};
            this.key = local.privateKey();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }

    /**
     * KDE Connect peers are self-signed and trusted on first pairing, so the handshake accepts any
     * certificate and the caller pins the peer's certificate afterwards. Only an absent certificate
     * is refused here.
     */
    private static final class AnyCertificateTrustManager extends X509ExtendedTrustManager {
        private static void requireCertificate(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("peer presented no certificate");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            requireCertificate(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            requireCertificate(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            requireCertificate(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            requireCertificate(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            requireCertificate(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            requireCertificate(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
