package io.github.gsbridge.testsupport;

import io.github.gsbridge.credentials.DconfException;
import io.github.gsbridge.tls.LocalCertificate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.github.gsbridge.testsupport.GsbridgeProcess.event;

/**
 * The stage of the kdeconnectd interop tests: two namespaces, kdeconnectd's identity made in
 * advance (so it can be pinned before it starts) in namespace A, and in namespace B gsbridge on
 * a GSConnect-shaped home. Everything started through it is closed in reverse order.
 */
public final class KdeConnectSetup implements AutoCloseable {
    public static final String GSBRIDGE_NAME = "gsbridge-test";
    public static final String KDC_NAME = "kdcpeer";
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final Path dir;
    private final KdeConnectVersion version;
    private final NamespacePair ns;
    private final GsconnectHome gsconnect;
    private final KdeConnectPeer.Identity kdcIdentity;
    private final List<AutoCloseable> running = new ArrayList<>();

    private KdeConnectSetup(Path dir, KdeConnectVersion version, NamespacePair ns, GsconnectHome gsconnect,
                            KdeConnectPeer.Identity kdcIdentity) {
        this.dir = dir;
        this.version = version;
        this.ns = ns;
        this.gsconnect = gsconnect;
        this.kdcIdentity = kdcIdentity;
    }

    /**
     * A setup for each test, made in a {@link Stage} of its own; {@code version} is asked when the
     * test starts, so it may read a {@code @Parameter} field.
     */
    public static Stage<KdeConnectSetup> eachTest(Supplier<KdeConnectVersion> version) {
        return Stage.eachTest(stage -> stage.track(create(stage.dir(), version.get())));
    }

    public static KdeConnectSetup create(Path dir) throws Exception {
        return create(dir, KdeConnectVersion.V22_12);
    }

    /** The stage for {@code version} of kdeconnectd, with an identity of the kind that release makes. */
    public static KdeConnectSetup create(Path dir, KdeConnectVersion version) throws Exception {
        // the GSConnect of the same Debian release: gsbridge speaks its protocol, as kdeconnectd does
        return create(dir, version, version == KdeConnectVersion.V22_12 ? GsconnectVersion.V54 : GsconnectVersion.V62,
                LocalCertificate.newDeviceId());
    }

    /** As {@link #create(Path, KdeConnectVersion)}, the user having {@code installed} and {@code gsbridgeId}. */
    public static KdeConnectSetup create(Path dir, KdeConnectVersion version, GsconnectVersion installed,
                                         String gsbridgeId) throws Exception {
        version.require();
        for (String program : List.of("dconf", "ip", "openssl", "gdbus")) {
            RealComponents.requireOnPath(program);
        }
        NamespacePair ns = NamespacePair.create();
        try {
            GsconnectHome gsconnect = GsconnectHome.create(dir.resolve("gsconnect"), gsbridgeId, GSBRIDGE_NAME,
                    installed);
            return new KdeConnectSetup(dir, version, ns, gsconnect, version.newIdentity(dir.resolve("kdc-identity")));
        } catch (Exception | Error e) {
            ns.close();
            throw e;
        }
    }

    /** Where the stage keeps its homes and logs; a test may put its own things beside them. */
    public Path dir() {
        return dir;
    }

    public NamespacePair ns() {
        return ns;
    }

    public GsconnectHome gsconnect() {
        return gsconnect;
    }

    public KdeConnectPeer.Identity kdcIdentity() {
        return kdcIdentity;
    }

    /** kdeconnectd in namespace A with its prepared identity; nothing trusted yet. */
    public KdeConnectPeer.Builder kdeconnectd() {
        return KdeConnectPeer.builder(dir.resolve("kdc"), ns, ns.nsA()).version(version).name(KDC_NAME)
                .certificate(kdcIdentity.certificate(), kdcIdentity.privateKey());
    }

    /** As {@link #kdeconnectd()}, the two already trusting each other as after pairing through GSConnect. */
    public KdeConnectPeer.Builder prePaired() throws DconfException {
        gsconnect.pair(kdcIdentity.deviceId(), KDC_NAME, "desktop", kdcIdentity.certificatePem());
        return kdeconnectd().trust(gsconnect.deviceId(), GSBRIDGE_NAME, gsconnect.certificatePem());
    }

    /** Closes {@code resource} with the setup. */
    public <T extends AutoCloseable> T track(T resource) {
        running.add(resource);
        return resource;
    }

    public KdeConnectPeer startKdeconnectd(KdeConnectPeer.Builder builder) {
        return track(builder.start());
    }

    /** gsbridge on GSConnect's identity in namespace B, once it holds the ports. */
    public GsbridgeProcess startGsbridge() throws Exception {
        return startGsbridge(Map.of());
    }

    /** As {@link #startGsbridge()}, with more environment (a system bus, say). */
    public GsbridgeProcess startGsbridge(Map<String, String> moreEnv) throws Exception {
        Map<String, String> env = new HashMap<>(gsconnect.environment());
        env.putAll(moreEnv);
        GsbridgeProcess gsbridge = track(GsbridgeProcess.start(dir.resolve("gsbridge"), ns.execPrefix(ns.nsB()),
                env, List.of("--identity", "gsconnect")));
        gsbridge.awaitState("active", WAIT);
        return gsbridge;
    }

    /** Starts a configured (pre-paired) kdeconnectd and gsbridge; returns once the trusted link is up on both sides. */
    public GsbridgeProcess link(KdeConnectPeer kdc) throws Exception {
        return link(kdc, Map.of());
    }

    /** As {@link #link(KdeConnectPeer)}, gsbridge having more environment. */
    public GsbridgeProcess link(KdeConnectPeer kdc, Map<String, String> moreEnv) throws Exception {
        if (!kdc.isRunning()) {
            track(kdc).start();
        }
        GsbridgeProcess gsbridge = startGsbridge(moreEnv);
        gsbridge.awaitEvent(event("Connected", kdc.deviceId()), WAIT);
        kdc.awaitReachable(gsconnect.deviceId(), true, WAIT);
        return gsbridge;
    }

    @Override
    public void close() throws Exception {
        try {
            for (int i = running.size() - 1; i >= 0; i--) {
                running.get(i).close();
            }
        } finally {
            gsconnect.close();
            ns.close();
        }
    }
}
