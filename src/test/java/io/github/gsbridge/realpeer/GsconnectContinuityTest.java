package io.github.gsbridge.realpeer;

import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.GsconnectService;
import io.github.gsbridge.testsupport.GsconnectVersion;
import io.github.gsbridge.testsupport.NamespacePair;
import io.github.gsbridge.testsupport.Stage;
import io.github.gsbridge.testsupport.TwoHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.gsbridge.testsupport.GsbridgeProcess.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise that switching between gsbridge and GSConnect needs no re-pairing: a pairing made
 * by gsbridge on GSConnect's credentials (as GSConnect 54 or 62 made them) is used by the real
 * GSConnect of that release started afterwards.
 *
 * <p>The peer is a second gsbridge (own identity) rather than kdeconnectd 22.12: GSConnect's
 * GnuTLS refuses the SNI kdeconnectd sends, so those two only link in one direction.
 */
@ParameterizedClass
@EnumSource(GsconnectVersion.class)
class GsconnectContinuityTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Parameter
    GsconnectVersion version;

    @RegisterExtension
    final Stage<TwoHosts> stage = Stage.eachTest(s -> {
        version.require();
        return TwoHosts.open(s, dir -> GsconnectHome.create(dir, version.newDeviceId(), "continuity", version));
    });

    @Test
    void gsconnectUsesAPairingMadeByGsbridge() throws Exception {
        NamespacePair ns = stage.get().ns();
        GsconnectHome gsconnect = stage.get().gsconnect();
        Path phoneHome = stage.dir().resolve("phone");
        GsbridgeProcess phone = stage.track(GsbridgeProcess.start(phoneHome, ns.execPrefix(ns.nsA()),
                Map.of("HOME", phoneHome.toString()), List.of("--identity", "own", "--name", "phone")));
        GsbridgeProcess desktop = stage.track(GsbridgeProcess.start(stage.dir().resolve("desktop"),
                ns.execPrefix(ns.nsB()), gsconnect.environment(), List.of("--identity", "gsconnect")));
        desktop.awaitState("active", WAIT);
        desktop.command("announce");
        phone.awaitEvent(event("Connected", desktop.deviceId()), WAIT);

        phone.command("pair " + desktop.deviceId());
        desktop.awaitEvent(event("PairRequested", phone.deviceId()), WAIT);
        desktop.command("accept " + phone.deviceId());
        phone.awaitEvent(event("Paired", desktop.deviceId()), WAIT);

        // Switch to GSConnect: same certificate files, same dconf.
        desktop.close();
        phone.awaitEvent(event("Disconnected", desktop.deviceId()), WAIT);
        int switched = phone.mark();
        GsconnectService service = stage.track(
                GsconnectService.start(stage.dir().resolve("gsconnect-service"), ns, ns.nsB(), gsconnect, version));

        // The phone calls its paired desktop back every few seconds; GSConnect answers as the desktop.
        phone.awaitEvent(switched, event("Connected", desktop.deviceId()), WAIT);
        service.cli("--ping", "-d", phone.deviceId()).assertOk("gsconnect --ping");
        phone.awaitEvent(switched, event("PingReceived", desktop.deviceId()), WAIT);
        assertTrue(phone.device(desktop.deviceId()).get("paired").asBoolean(), "still paired, never asked again");
        List<String> pairing = phone.events().stream().map(e -> e.get("event").asText())
                .filter(name -> name.startsWith("Pair") || name.equals("Unpaired")).toList();
        assertEquals(List.of("PairRequestSent", "Paired"), pairing,
                "paired once, through gsbridge; GSConnect never asked again");
    }
}
