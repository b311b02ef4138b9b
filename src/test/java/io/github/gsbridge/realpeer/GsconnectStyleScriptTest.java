package io.github.gsbridge.realpeer;

import io.github.gsbridge.dbus.DbusService;
import io.github.gsbridge.testsupport.Gdbus;
import io.github.gsbridge.testsupport.GsbridgeDaemon;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.NamespacePair;
import io.github.gsbridge.testsupport.RealComponents;
import io.github.gsbridge.testsupport.Stage;
import io.github.gsbridge.testsupport.TwoHosts;
import io.github.gsbridge.tls.LocalCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A script written for GSConnect, with only the bus name and path prefix changed, sends a file
 * to the real kdeconnectd 22.12: {@code gdbus call ... org.gtk.Actions.Activate 'shareFile'}.
 * The real {@code gsbridge daemon} runs in a network namespace with GSConnect's credentials; its
 * session bus is the private bus at a {@code unix:path=} (reachable from every namespace).
 */
class GsconnectStyleScriptTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GSBRIDGE_NAME = "gsbridge-test";
    private static final String KDC_NAME = "kdcpeer";

    @RegisterExtension
    final Stage<TwoHosts> stage = Stage.eachTest(s -> {
        RealComponents.requireExecutable(KdeConnectPeer.KDECONNECTD);
        RealComponents.requireOnPath("gdbus");
        // GSConnect not installed, so gsbridge starts at protocol 8 and meets kdeconnectd 22.12 at 7
        return TwoHosts.open(s, dir -> GsconnectHome.create(dir, LocalCertificate.newDeviceId(), GSBRIDGE_NAME));
    });

    @Test
    void shareFileActionSendsAFileToKdeconnectd() throws Exception {
        NamespacePair ns = stage.get().ns();
        GsconnectHome gsconnect = stage.get().gsconnect();
        Path tmp = stage.dir();
        KdeConnectPeer.Identity kdcIdentity = KdeConnectPeer.generateIdentity(tmp.resolve("kdc-identity"),
                KdeConnectPeer.randomDeviceId());
        gsconnect.pair(kdcIdentity.deviceId(), KDC_NAME, "desktop", kdcIdentity.certificatePem());
        KdeConnectPeer kdc = KdeConnectPeer.builder(tmp.resolve("kdc"), ns, ns.nsA()).name(KDC_NAME)
                .certificate(kdcIdentity.certificate(), kdcIdentity.privateKey())
                .trust(gsconnect.deviceId(), GSBRIDGE_NAME, gsconnect.certificatePem()).start();
        stage.track(kdc);

        // GsconnectHome's environment carries its private bus as the session bus.
        GsbridgeDaemon gsbridge = stage.track(GsbridgeDaemon.start(tmp.resolve("gsbridge"), ns.execPrefix(ns.nsB()),
                gsconnect.environment(), List.of("--identity", "gsconnect")));
        gsbridge.awaitLog(GsbridgeDaemon.ON_THE_BUS);
        gsbridge.awaitLog(kdc.deviceId() + " (" + KDC_NAME + "): connected from");
        kdc.awaitReachable(gsconnect.deviceId(), true, WAIT);

        byte[] data = new byte[256 * 1024];
        new Random(7).nextBytes(data);
        Path file = Files.write(tmp.resolve("holiday.jpg"), data);
        String busAddress = gsconnect.environment().get("DBUS_SESSION_BUS_ADDRESS");
        new Gdbus(busAddress).run("call", "--session", "--dest", DbusService.BUS_NAME, "--object-path",
                DbusService.devicePath(kdc.deviceId()), "--method", "org.gtk.Actions.Activate", "shareFile",
                "[<('" + file + "', false)>]", "{}").assertOk("gdbus call ... Activate shareFile");

        Path arrived = kdc.downloadDir().resolve("holiday.jpg");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!(Files.exists(arrived) && Files.size(arrived) == data.length)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("holiday.jpg did not arrive in " + kdc.downloadDir() + "; gsbridge log:\n"
                        + gsbridge.log());
            }
            Thread.sleep(100);
        }
        assertArrayEquals(data, Files.readAllBytes(arrived));
    }
}
