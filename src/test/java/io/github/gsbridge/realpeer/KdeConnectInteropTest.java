package io.github.gsbridge.realpeer;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.testsupport.BusMonitor;
import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.KdeConnectSetup;
import io.github.gsbridge.testsupport.KdeConnectVersion;
import io.github.gsbridge.testsupport.PairingKeys;
import io.github.gsbridge.testsupport.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.github.gsbridge.testsupport.GsbridgeProcess.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gsbridge against the real kdeconnectd, 22.12 (protocol 7) and 25.04 (protocol 8), each in a
 * network namespace of its own joined by a veth. gsbridge runs on GSConnect-shaped credentials:
 * GSConnect 54's certificate files and a real dconf database naming the paired devices.
 */
@ParameterizedClass
@EnumSource(KdeConnectVersion.class)
class KdeConnectInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String GSBRIDGE_NAME = KdeConnectSetup.GSBRIDGE_NAME;
    private static final String KDC_NAME = KdeConnectSetup.KDC_NAME;

    @Parameter
    KdeConnectVersion version;

    @RegisterExtension
    final Stage<KdeConnectSetup> stage = KdeConnectSetup.eachTest(() -> version);

    /** gsbridge's side: GSConnect's home, whose identity and pairings it runs on. */
    private GsconnectHome gsconnect() {
        return stage.get().gsconnect();
    }

    private KdeConnectPeer.Builder kdeconnectd() {
        return stage.get().kdeconnectd();
    }

    private KdeConnectPeer startKdeconnectd(KdeConnectPeer.Builder builder) {
        return stage.get().startKdeconnectd(builder);
    }

    private GsbridgeProcess startGsbridge() throws Exception {
        GsbridgeProcess gsbridge = stage.get().startGsbridge();
        assertEquals(gsconnect().deviceId(), gsbridge.deviceId(), "our id is GSConnect's certificate CN");
        return gsbridge;
    }

    /** Both sides already trust each other, as after pairing through GSConnect. */
    private KdeConnectPeer.Builder prePaired() throws Exception {
        return stage.get().prePaired();
    }

    /** Starts gsbridge beside a running kdeconnectd that does not trust it; returns once both see the link. */
    private GsbridgeProcess linkUnpaired(KdeConnectPeer kdc) throws Exception {
        GsbridgeProcess gsbridge = startGsbridge();
        gsbridge.awaitEvent(event("Connected", kdc.deviceId()), WAIT);
        kdc.awaitReachable(gsconnect().deviceId(), false, WAIT);
        return gsbridge;
    }

    /** kdeconnectd asks to pair; gsbridge reports it, both showing the same key. */
    private void requestPairFromKdeconnectd(KdeConnectPeer kdc, GsbridgeProcess gsbridge) throws Exception {
        kdc.cli("--pair", "-d", gsconnect().deviceId()).assertOk("kdeconnect-cli --pair");
        gsbridge.awaitEvent(event("PairRequested", kdc.deviceId()), WAIT);
        PairingKeys.assertSameKey(kdc.pairingKeyText(gsconnect().deviceId()), gsbridge.device(kdc.deviceId()),
                version.protocolVersion());
    }

    private Pattern linkLine(String direction) {
        return Pattern.compile("connected from \\S+ \\(" + direction + ", protocol " + version.protocolVersion()
                + ", paired\\)");
    }

    @Test
    void kdeconnectdAnnouncementLeadsToAPairedLink() throws Exception {
        KdeConnectPeer.Builder builder = prePaired();
        GsbridgeProcess gsbridge = startGsbridge();
        KdeConnectPeer kdc = startKdeconnectd(builder);
        // kdeconnectd broadcasts at start; gsbridge receives it and opens the TCP connection.
        gsbridge.awaitEvent(event("Connected", kdc.deviceId()), WAIT);
        assertTrue(linkLine("outgoing").matcher(gsbridge.log()).find(), gsbridge.logTail(30));
        JsonNode device = gsbridge.device(kdc.deviceId());
        assertTrue(device.get("paired").asBoolean() && device.get("reachable").asBoolean(), device.toString());
        assertEquals(KDC_NAME, device.get("name").asText());
        kdc.awaitReachable(gsconnect().deviceId(), true, WAIT);
    }

    @Test
    void gsbridgeAnnouncementLeadsToAPairedLink() throws Exception {
        KdeConnectPeer kdc = startKdeconnectd(prePaired());
        GsbridgeProcess gsbridge = startGsbridge();
        // gsbridge broadcasts at start; kdeconnectd opens the TCP connection to us.
        gsbridge.awaitEvent(event("Connected", kdc.deviceId()), WAIT);
        assertTrue(linkLine("incoming").matcher(gsbridge.log()).find(), gsbridge.logTail(30));
        kdc.awaitReachable(gsconnect().deviceId(), true, WAIT);
    }

    @Test
    void pingsBothWays() throws Exception {
        KdeConnectPeer kdc = startKdeconnectd(prePaired());
        GsbridgeProcess gsbridge = startGsbridge();
        gsbridge.awaitEvent(event("Connected", kdc.deviceId()), WAIT);
        kdc.awaitReachable(gsconnect().deviceId(), true, WAIT);

        kdc.cli("--ping-msg", "hello gsbridge", "-d", gsconnect().deviceId()).assertOk("kdeconnect-cli --ping-msg");
        gsbridge.awaitEvent(e -> e.get("event").asText().equals("PingReceived")
                && e.get("message").asText().equals("hello gsbridge"), WAIT);

        try (BusMonitor notifications = BusMonitor.notifications(kdc)) {
            gsbridge.command("ping " + kdc.deviceId() + " hello kdeconnect");
            BusMonitor.Notification shown = notifications.awaitNotification(
                    n -> n.body().equals("hello kdeconnect"), WAIT);
            assertEquals(GSBRIDGE_NAME, shown.summary(), "kdeconnectd names the sender: our GSConnect name");
        }
    }

    @Test
    void pairingRequestedByGsbridge() throws Exception {
        KdeConnectPeer kdc = startKdeconnectd(kdeconnectd());
        GsbridgeProcess gsbridge = linkUnpaired(kdc);

        gsbridge.command("pair " + kdc.deviceId());
        kdc.awaitPairRequestFrom(gsconnect().deviceId(), WAIT);
        PairingKeys.assertSameKey(kdc.pairingKeyText(gsconnect().deviceId()), gsbridge.device(kdc.deviceId()),
                version.protocolVersion());
        kdc.cli("--pair", "-d", gsconnect().deviceId()).assertOk("kdeconnect-cli --pair (accept)");
        gsbridge.awaitEvent(event("Paired", kdc.deviceId()), WAIT);
        kdc.awaitReachable(gsconnect().deviceId(), true, WAIT);

        // Recorded the way GSConnect records it, so GSConnect would trust the device too.
        String dir = "/org/gnome/shell/extensions/gsconnect/device/" + kdc.deviceId() + "/";
        assertEquals(Optional.of("true"), gsconnect().dconf().read(dir + "paired"));
        assertTrue(gsconnect().dconf().read(dir + "certificate-pem").orElseThrow().contains("BEGIN CERTIFICATE"));
        assertTrue(gsconnect().dconf().read("/org/gnome/shell/extensions/gsconnect/devices").orElseThrow()
                .contains(kdc.deviceId()));
        assertEquals(Optional.of("'" + KDC_NAME + "'"), gsconnect().dconf().read(dir + "name"));
        assertEquals(Optional.of("'desktop'"), gsconnect().dconf().read(dir + "type"));
        assertTrue(gsconnect().dconf().read(dir + "last-connection").orElseThrow().matches("'lan://10\\.231\\.\\d+\\.1:1716'"),
                gsconnect().dconf().read(dir + "last-connection").toString());
        assertTrue(gsconnect().dconf().read(dir + "incoming-capabilities").orElseThrow().contains("'kdeconnect.ping'"));
        assertTrue(gsconnect().dconf().read(dir + "outgoing-capabilities").orElseThrow().contains("'kdeconnect.ping'"));

        kdc.cli("--ping-msg", "paired now", "-d", gsconnect().deviceId()).assertOk("kdeconnect-cli --ping-msg");
        gsbridge.awaitEvent(e -> e.get("event").asText().equals("PingReceived")
                && e.get("message").asText().equals("paired now"), WAIT);
    }

    @Test
    void pairingRequestedByKdeconnectd() throws Exception {
        KdeConnectPeer kdc = startKdeconnectd(kdeconnectd());
        GsbridgeProcess gsbridge = linkUnpaired(kdc);

        requestPairFromKdeconnectd(kdc, gsbridge);
        gsbridge.command("accept " + kdc.deviceId());
        kdc.awaitReachable(gsconnect().deviceId(), true, WAIT);

        try (BusMonitor notifications = BusMonitor.notifications(kdc)) {
            gsbridge.command("ping " + kdc.deviceId() + " accepted");
            notifications.awaitNotification(n -> n.body().equals("accepted"), WAIT);
        }
    }

    /** Issue 9, defect 3: kdeconnectd announcing itself again must not cost a request waiting for the user. */
    @Test
    void aPendingPairRequestSurvivesKdeconnectdAnnouncingItselfAgain() throws Exception {
        KdeConnectPeer kdc = startKdeconnectd(kdeconnectd());
        GsbridgeProcess gsbridge = linkUnpaired(kdc);

        // theirs, waiting for our user
        requestPairFromKdeconnectd(kdc, gsbridge);
        reannounce(kdc, gsbridge);
        assertEquals("REQUESTED_BY_PEER", gsbridge.device(kdc.deviceId()).get("pairing").asText(),
                gsbridge.logTail(30));
        gsbridge.command("accept " + kdc.deviceId());
        kdc.awaitReachable(gsconnect().deviceId(), true, WAIT);
        gsbridge.awaitEvent(event("Paired", kdc.deviceId()), WAIT);

        // ours, waiting for theirs; unpaired at once, while the reloads of GSConnect's tree that the pairing
        // and the re-announcement caused may still run: none may bring the pairing back.
        int mark = gsbridge.mark();
        gsbridge.command("unpair " + kdc.deviceId());
        gsbridge.awaitEvent(mark, event("Unpaired", kdc.deviceId()), WAIT);
        kdc.awaitUnpaired(gsconnect().deviceId(), WAIT);
        gsbridge.command("pair " + kdc.deviceId());
        kdc.awaitPairRequestFrom(gsconnect().deviceId(), WAIT);
        reannounce(kdc, gsbridge);
        kdc.cli("--pair", "-d", gsconnect().deviceId()).assertOk("kdeconnect-cli --pair (accept)");
        gsbridge.awaitEvent(mark, event("Paired", kdc.deviceId()), WAIT);
        kdc.awaitReachable(gsconnect().deviceId(), true, WAIT);
    }

    /**
     * {@code kdeconnect-cli --refresh}; returns once gsbridge has heard the announcement and, if it
     * opens a new link in answer, that link is up. gsbridge hears one announcement per device and
     * second, and kdeconnectd may just have sent one, so it asks again until one is heard.
     */
    private static void reannounce(KdeConnectPeer kdc, GsbridgeProcess gsbridge) throws Exception {
        int before = (int) gsbridge.log().lines().count();
        String heard = kdc.deviceId() + " (" + KDC_NAME + ") announced itself";
        long deadline = System.nanoTime() + WAIT.toNanos();
        do {
            kdc.cli("--refresh").assertOk("kdeconnect-cli --refresh");
            try {
                awaitLogAfter(gsbridge, before, heard, Duration.ofMillis(1500));
                break;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        } while (true);
        try {
            awaitLogAfter(gsbridge, before, kdc.deviceId() + " (" + KDC_NAME + "): connected from", Duration.ofSeconds(3));
        } catch (AssertionError e) {
            // no new link: the one there is kept
        }
    }

    private static void awaitLogAfter(GsbridgeProcess gsbridge, int line, String text, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (gsbridge.log().lines().skip(line).noneMatch(l -> l.contains(text))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gsbridge did not log \"" + text + "\"\n" + gsbridge.logTail(30));
            }
            Thread.sleep(100);
        }
    }

    @Test
    void linksAgainAfterKdeconnectdRestarts() throws Exception {
        KdeConnectPeer kdc = startKdeconnectd(prePaired());
        GsbridgeProcess gsbridge = startGsbridge();
        gsbridge.awaitEvent(event("Connected", kdc.deviceId()), WAIT);
        int mark = gsbridge.mark();
        kdc.stop();
        gsbridge.awaitEvent(mark, event("Disconnected", kdc.deviceId()), WAIT);
        kdc.start();
        gsbridge.awaitEvent(mark, event("Connected", kdc.deviceId()), WAIT);
        kdc.awaitReachable(gsconnect().deviceId(), true, WAIT);
        kdc.cli("--ping-msg", "back again", "-d", gsconnect().deviceId()).assertOk("kdeconnect-cli --ping-msg");
        gsbridge.awaitEvent(mark, e -> e.get("event").asText().equals("PingReceived")
                && e.get("message").asText().equals("back again"), WAIT);
    }

    @Test
    void unpairingInDconfDropsTheDevice() throws Exception {
        KdeConnectPeer kdc = startKdeconnectd(prePaired());
        GsbridgeProcess gsbridge = startGsbridge();
        gsbridge.awaitEvent(event("Connected", kdc.deviceId()), WAIT);

        // As GSConnect (or the user) would, while gsbridge runs.
        gsconnect().dconf().write("/org/gnome/shell/extensions/gsconnect/device/" + kdc.deviceId() + "/paired", "false");
        gsbridge.awaitEvent(event("Unpaired", kdc.deviceId()), WAIT);
        gsbridge.awaitEvent(event("Disconnected", kdc.deviceId()), WAIT);
        JsonNode device = gsbridge.device(kdc.deviceId());
        assertTrue(device == null || !device.get("paired").asBoolean(), String.valueOf(device));
    }

    @Test
    void pairedIdPresentingAnotherCertificateIsRefused() throws Exception {
        // dconf pins a certificate with kdeconnectd's id that is not the one kdeconnectd has.
        String kdcId = stage.get().kdcIdentity().deviceId();
        KdeConnectPeer.Identity impostor = version.newIdentity(stage.get().dir().resolve("other"), kdcId);
        gsconnect().pair(kdcId, KDC_NAME, "desktop", impostor.certificatePem());
        KdeConnectPeer kdc = startKdeconnectd(kdeconnectd()
                .trust(gsconnect().deviceId(), GSBRIDGE_NAME, gsconnect().certificatePem()));
        GsbridgeProcess gsbridge = startGsbridge();

        Pattern refused = Pattern.compile(Pattern.quote(kdc.deviceId())
                + ": refused link from \\S+: it presented a certificate .* other than the one pinned at pairing");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!refused.matcher(gsbridge.log()).find()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no refusal logged:\n" + gsbridge.logTail(40));
            }
            Thread.sleep(200);
        }
        assertTrue(gsbridge.events().stream().noneMatch(e -> e.get("event").asText().equals("Connected")),
                gsbridge.events().toString());
        // gsbridge asks its paired devices back now and then, so kdeconnectd may try again; it must
        // end up without a link each time.
        long settled = System.nanoTime() + WAIT.toNanos();
        while (kdc.devices(true, true).contains(gsconnect().deviceId())) {
            assertTrue(System.nanoTime() < settled, "kdeconnectd has a paired link to us");
            Thread.sleep(200);
        }
    }
}
