package io.github.gsbridge.realpeer;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.GsconnectVersion;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.KdeConnectSetup;
import io.github.gsbridge.testsupport.KdeConnectVersion;
import io.github.gsbridge.testsupport.RandomFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;

import static io.github.gsbridge.testsupport.GsbridgeProcess.event;

/**
 * gsbridge on the identity GSConnect 54 made, whose id is a UUID with dashes, against kdeconnectd
 * 22.12 and 25.04 (issue 9, defect 9). kdeconnectd rewrites '-' to '_' in ids it puts on D-Bus and
 * in the SNI it sends, and 25.04 compares that rewritten certificate CN with the id it was told.
 */
@ParameterizedClass
@EnumSource(KdeConnectVersion.class)
class Gsconnect54IdentityTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Parameter
    KdeConnectVersion version;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private KdeConnectSetup setup;

    @BeforeEach
    void setUp() throws Exception {
        setup = KdeConnectSetup.create(tmp, version, GsconnectVersion.V54.newDeviceId());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (setup != null) {
            setup.close();
        }
    }

    @Test
    void explore() throws Exception {
        KdeConnectPeer kdc = setup.startKdeconnectd(setup.kdeconnectd());
        GsbridgeProcess gsbridge = setup.startGsbridge();
        String ours = setup.gsconnect().deviceId();
        gsbridge.awaitEvent(event("Connected", kdc.deviceId()), WAIT);
        Thread.sleep(3000);
        System.out.println("[explore " + version + "] kdc devices: " + kdc.devices(false, false) + " reachable "
                + kdc.devices(true, false));
        System.out.println("[explore] gsbridge device: " + gsbridge.device(kdc.deviceId()));
        try {
            gsbridge.command("pair " + kdc.deviceId());
            Thread.sleep(2000);
            String kdcId = ours.replace('-', '_');
            System.out.println("[explore] pair requests raw " + kdc.deviceCall(ours, version == KdeConnectVersion.V22_12
                    ? "hasPairingRequests" : "isPairRequestedByPeer") + " filtered " + kdc.deviceCall(kdcId,
                    version == KdeConnectVersion.V22_12 ? "hasPairingRequests" : "isPairRequestedByPeer"));
            System.out.println("[explore] cli --pair " + kdc.cli("--pair", "-d", kdcId));
            Thread.sleep(3000);
            System.out.println("[explore] gsbridge device: " + gsbridge.device(kdc.deviceId()));
            System.out.println("[explore] kdc paired: " + kdc.devices(false, true));
            System.out.println("[explore] ping " + kdc.cli("--ping-msg", "hi", "-d", kdcId));
            Thread.sleep(1000);
            Path file = tmp.resolve("upload.bin");
            RandomFiles.write(file, 100000, 1);
            JsonNode t = gsbridge.command("share-files " + kdc.deviceId() + " false " + file);
            long id = t.get("transfer").asLong();
            long start = System.nanoTime();
            JsonNode done = gsbridge.awaitEvent(e -> e.get("event").asText().equals("Changed") && e.get("id").asLong() == id
                    && (e.get("state").asText().equals("COMPLETED") || e.get("state").asText().equals("FAILED")),
                    Duration.ofSeconds(90));
            System.out.println("[explore] upload " + done + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        } finally {
            System.out.println("[explore] gsbridge log:\n" + gsbridge.logTail(40));
            System.out.println("[explore] kdc log:\n" + kdc.log().tail(40));
        }
    }
}
