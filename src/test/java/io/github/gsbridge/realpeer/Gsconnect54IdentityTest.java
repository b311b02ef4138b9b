package io.github.gsbridge.realpeer;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.testsupport.BusMonitor;
import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.GsconnectVersion;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.KdeConnectSetup;
import io.github.gsbridge.testsupport.KdeConnectVersion;
import io.github.gsbridge.testsupport.RandomFiles;
import io.github.gsbridge.testsupport.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;

import static io.github.gsbridge.testsupport.GsbridgeProcess.event;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gsbridge on the identity GSConnect 54 made, whose id is a UUID with dashes, against kdeconnectd
 * 22.12 and 25.04 (issue 9, defect 9). kdeconnectd rewrites '-' to '_' in the ids it shows and in the
 * SNI it sends. Linking, pairing and pings work; the connections for files it refuses.
 */
@ParameterizedClass
@EnumSource(KdeConnectVersion.class)
class Gsconnect54IdentityTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Well below the 30 s an upload waits for the receiver to connect: refused is not timed out. */
    private static final Duration PROMPTLY = Duration.ofSeconds(15);

    @Parameter
    KdeConnectVersion version;

    @RegisterExtension
    final Stage<KdeConnectSetup> stage = Stage.eachTest(s -> s.track(
            KdeConnectSetup.create(s.dir(), version, GsconnectVersion.V54, GsconnectVersion.V54.newDeviceId())));

    @Test
    void linksPairsAndPingsButAnUploadKdeconnectdRefusesFailsAtOnceSayingSo() throws Exception {
        KdeConnectSetup setup = stage.get();
        KdeConnectPeer kdc = setup.startKdeconnectd(setup.kdeconnectd());
        GsbridgeProcess gsbridge = setup.startGsbridge();
        String ours = setup.gsconnect().deviceId();
        String asKdeconnectdSaysIt = ours.replace('-', '_');
        gsbridge.awaitEvent(event("Connected", kdc.deviceId()), WAIT);
        kdc.awaitReachable(asKdeconnectdSaysIt, false, WAIT);

        gsbridge.command("pair " + kdc.deviceId());
        kdc.awaitPairRequestFrom(asKdeconnectdSaysIt, WAIT);
        kdc.cli("--pair", "-d", asKdeconnectdSaysIt).assertOk("kdeconnect-cli --pair (accept)");
        gsbridge.awaitEvent(event("Paired", kdc.deviceId()), WAIT);
        kdc.awaitReachable(asKdeconnectdSaysIt, true, WAIT);

        kdc.cli("--ping-msg", "dashes", "-d", asKdeconnectdSaysIt).assertOk("kdeconnect-cli --ping-msg");
        gsbridge.awaitEvent(e -> e.get("event").asText().equals("PingReceived")
                && e.get("message").asText().equals("dashes"), WAIT);
        try (BusMonitor notifications = BusMonitor.notifications(kdc)) {
            gsbridge.command("ping " + kdc.deviceId() + " dashes too");
            notifications.awaitNotification(n -> n.body().equals("dashes too"), WAIT);
        }

        // kdeconnectd checks the certificate of the file's connection against the id it rewrote, and
        // breaks that connection off: no use waiting for it to come back.
        Path file = setup.dir().resolve("photo.jpg");
        RandomFiles.write(file, 100_000, 1);
        long id = gsbridge.command("share-files " + kdc.deviceId() + " false " + file).get("transfer").asLong();
        JsonNode failed = gsbridge.awaitEvent(e -> e.get("event").asText().equals("Changed")
                && e.get("id").asLong() == id && e.get("state").asText().equals("FAILED"), PROMPTLY);
        String error = failed.get("error").asText();
        assertTrue(error.contains("photo.jpg") && error.contains("the device refused the file"), error);
    }
}
