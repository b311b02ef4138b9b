package io.github.gsbridge.realpeer;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.credentials.GsconnectDconf;
import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.KdeConnectSetup;
import io.github.gsbridge.testsupport.KdeConnectVersion;
import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.RealComponents;
import io.github.gsbridge.testsupport.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The clipboard with the real kdeconnectd, 22.12 and 25.04. Its clipboard plugin uses the desktop's
 * clipboard through Qt; offscreen, Qt's clipboard lives inside kdeconnectd where no test can reach
 * it, so kdeconnectd runs on an X server of its own (Xvfb), whose clipboard xclip reads and sets as
 * a user's copy and paste would.
 */
@ParameterizedClass
@EnumSource(KdeConnectVersion.class)
class ClipboardInteropTest {
    private static final Duration WAIT = KdeConnectSetup.WAIT;

    @Parameter
    KdeConnectVersion version;

    @RegisterExtension
    final Stage<KdeConnectSetup> stage = KdeConnectSetup.eachTest(() -> version);

    private String display;

    @BeforeEach
    void startDisplay() throws Exception {
        String xvfbPath = RealComponents.requireOnPath("Xvfb");
        RealComponents.requireOnPath("xclip");
        // -displayfd: Xvfb picks a free display and says which; no guessing among other tests' displays.
        Path dir = stage.get().dir();
        ManagedProcess xvfb = stage.get().track(ManagedProcess.start("Xvfb",
                List.of(xvfbPath, "-displayfd", "1", "-nolisten", "tcp", "-noreset"),
                Map.of("PATH", "/usr/bin:/bin"), dir, dir.resolve("xvfb.log")));
        display = ":" + xvfb.waitForLine(Pattern.compile("^\\d+$"), WAIT).strip();
    }

    /** GSConnect's Clipboard Sync switches for the device, both ways (GSConnect has them off). */
    private void syncBothWays(String deviceId) throws Exception {
        String dir = GsconnectDconf.PATH + "device/" + deviceId + "/plugin/clipboard/";
        stage.get().gsconnect().dconf().write(dir + "send-content", "true");
        stage.get().gsconnect().dconf().write(dir + "receive-content", "true");
    }

    private ManagedProcess.Result xclip(String script, String text) {
        return ManagedProcess.run(List.of("sh", "-c", script, "sh", text),
                Map.of("PATH", "/usr/bin:/bin", "DISPLAY", display), WAIT);
    }

    /** Copies {@code text} on kdeconnectd's desktop; xclip stays in the background to serve it. */
    private void copyOnTheDesktop(String text) {
        ManagedProcess.Result r = xclip("printf %s \"$1\" | xclip -selection clipboard -i >/dev/null 2>&1", text);
        assertEquals(0, r.exitCode(), r.output());
    }

    private String desktopClipboard() {
        return xclip("xclip -selection clipboard -o 2>/dev/null", "").stdout();
    }

    private static Predicate<JsonNode> clipboardChanged(String content) {
        return e -> e.path("event").asText().equals("ClipboardChanged") && e.path("content").asText().equals(content);
    }

    @Test
    void textGoesBothWaysThroughKdeconnectdsDesktopClipboard() throws Exception {
        KdeConnectSetup setup = stage.get();
        KdeConnectPeer.Builder kdc = setup.prePaired().display(display);
        syncBothWays(setup.kdcIdentity().deviceId());
        copyOnTheDesktop("copied before kdeconnectd started");
        GsbridgeProcess gsbridge = setup.link(kdc.build());
        String kdcId = setup.kdcIdentity().deviceId();

        gsbridge.command("clipboard " + kdcId + " sent by gsbridge, with spaces");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!desktopClipboard().equals("sent by gsbridge, with spaces")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("kdeconnectd's desktop clipboard holds \"" + desktopClipboard() + "\"\n"
                        + gsbridge.logTail(20));
            }
            Thread.sleep(100);
        }

        copyOnTheDesktop("copied on kdeconnectd's desktop\nsecond line");
        JsonNode taken = gsbridge.awaitEvent(clipboardChanged("copied on kdeconnectd's desktop\nsecond line"), WAIT);
        assertEquals(true, taken.path("announced").asBoolean(), taken.toString());
        // On connect kdeconnectd sent its clipboard with clipboard.connect; empty and of unknown age
        // (it had seen no copy since it started), so known and not handed to scripts.
        JsonNode onConnect = gsbridge.events().stream().filter(clipboardChanged("")).findFirst()
                .orElseThrow(() -> new AssertionError("no clipboard.connect from kdeconnectd: " + gsbridge.logTail(30)));
        assertEquals(false, onConnect.path("announced").asBoolean(), onConnect.toString());
    }
}
