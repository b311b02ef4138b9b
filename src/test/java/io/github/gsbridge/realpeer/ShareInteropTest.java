package io.github.gsbridge.realpeer;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.KdeConnectSetup;
import io.github.gsbridge.testsupport.KdeConnectVersion;
import io.github.gsbridge.testsupport.RandomFiles;
import io.github.gsbridge.testsupport.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shares between gsbridge and the real kdeconnectd (22.12 and 25.04) in two network namespaces, both
 * sides pre-paired as after pairing through GSConnect: files (checked by SHA-256; empty, a name
 * beyond ASCII, 50 MiB, several in one share), text and URLs. One kdeconnectd and one gsbridge serve
 * all tests of a version: starting them is most of a test's time.
 */
@ParameterizedClass
@EnumSource(KdeConnectVersion.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShareInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** For the 50 MiB file; this only bounds a hang. */
    private static final Duration LARGE_WAIT = Duration.ofMinutes(2);
    private static final int MIB = 1024 * 1024;
    private static final String[] NAMES = {"Grüße-日本語.txt", "several.bin", "large.bin", "empty.txt"};
    private static final long[] SIZES = {1000, 3L * MIB + 17, 50L * MIB, 0};

    @Parameter
    KdeConnectVersion version;

    /** Static, as {@link Stage#eachVersion} must be. */
    @RegisterExtension
    static final Stage<Void> stage = Stage.eachVersion();

    private Path tmp;
    private GsconnectHome gsconnect;
    private KdeConnectPeer kdc;
    private GsbridgeProcess gsbridge;

    @BeforeParameterizedClassInvocation
    void startBothPaired() throws Exception {
        KdeConnectSetup setup = stage.track(KdeConnectSetup.create(stage.dir(), version));
        tmp = setup.dir();
        gsconnect = setup.gsconnect();
        kdc = setup.track(setup.prePaired().build());
        gsbridge = setup.link(kdc);
    }

    @Test
    void filesFromKdeconnectdInOneShareArriveWhole() throws Exception {
        // GSConnect's per-device folder is where they go, not ~/Downloads.
        Path folder = tmp.resolve("from kdc");
        gsconnect.dconf().load("/org/gnome/shell/extensions/gsconnect/",
                "[device/" + kdc.deviceId() + "/plugin/share]\nreceive-directory='" + folder + "'\n");
        List<String> urls = new ArrayList<>();
        String[] shas = new String[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            Path source = Files.createDirectories(tmp.resolve("kdc-out")).resolve(NAMES[i]);
            shas[i] = RandomFiles.write(source, SIZES[i], SIZES[i] + i);
            urls.add("'" + source.toUri() + "'");
        }
        int mark = gsbridge.mark();
        Set<Long> transfers = new TreeSet<>();
        // kdeconnect-cli 22.12 takes one --share; its share plugin takes several, as the file dialog gives them
        kdc.gdbusCall(KdeConnectPeer.BUS_NAME, "/modules/kdeconnect/devices/" + gsconnect.deviceId() + "/share",
                "org.kde.kdeconnect.device.share.shareUrls", "[" + String.join(", ", urls) + "]")
                .assertOk("shareUrls (four files)");
        for (int i = 0; i < NAMES.length; i++) {
            String name = NAMES[i];
            JsonNode received = gsbridge.awaitEvent(mark, e -> e.get("event").asText().equals("FileReceived")
                    && e.get("path").asText().endsWith("/" + name), LARGE_WAIT);
            Path path = Path.of(received.get("path").asText());
            assertEquals(folder.resolve(name), path);
            assertEquals(SIZES[i], Files.size(path));
            assertEquals(shas[i], RandomFiles.sha256(path), name + " arrived byte-identical");
            transfers.add(received.get("transferId").asLong());
        }
        long bytes = 0;
        for (long id : transfers) {
            bytes += gsbridge.awaitEvent(mark, transfer("IN", "COMPLETED", id), WAIT).get("bytesDone").asLong();
        }
        assertEquals(Arrays.stream(SIZES).sum(), bytes);
    }

    @Test
    void textAndUrlsFromKdeconnectd() throws Exception {
        kdc.cli("--share-text", "Grüße from kdeconnectd", "-d", gsconnect.deviceId()).assertOk("--share-text");
        gsbridge.awaitEvent(e -> e.get("event").asText().equals("TextReceived")
                && e.get("text").asText().equals("Grüße from kdeconnectd"), WAIT);
        kdc.cli("--share", "https://example.org/path?q=1", "-d", gsconnect.deviceId()).assertOk("--share URL");
        gsbridge.awaitEvent(e -> e.get("event").asText().equals("UrlReceived")
                && e.get("url").asText().equals("https://example.org/path?q=1"), WAIT);
    }

    @Test
    void filesToKdeconnectdInOneShare() throws Exception {
        String[] shas = new String[NAMES.length];
        StringBuilder paths = new StringBuilder();
        long total = 0;
        for (int i = 0; i < NAMES.length; i++) {
            Path source = Files.createDirectories(tmp.resolve("out")).resolve(NAMES[i]);
            shas[i] = RandomFiles.write(source, SIZES[i], 100 + i);
            paths.append(' ').append(source);
            total += SIZES[i];
        }
        long id = gsbridge.command("share-files " + kdc.deviceId() + " false" + paths).get("transfer").asLong();
        JsonNode done = gsbridge.awaitEvent(transfer("OUT", "COMPLETED", id).or(transfer("OUT", "FAILED", id)),
                LARGE_WAIT);
        assertEquals("COMPLETED", done.get("state").asText(), done + "\n" + kdc.log().tail(40));
        assertEquals(total, done.get("bytesDone").asLong());
        for (int i = 0; i < NAMES.length; i++) {
            // kdeconnectd writes NAME.part and renames it when the payload socket closes.
            Path arrived = awaitFile(kdc.downloadDir().resolve(NAMES[i]));
            assertEquals(SIZES[i], Files.size(arrived));
            assertEquals(shas[i], RandomFiles.sha256(arrived), arrived + " arrived byte-identical");
        }
        try (var left = Files.list(kdc.downloadDir())) {
            assertTrue(left.noneMatch(p -> p.toString().endsWith(".part")), "no partial files left");
        }
    }

    private static Predicate<JsonNode> transfer(String direction, String state, long id) {
        return e -> e.get("event").asText().equals("Changed") && e.get("id").asLong() == id
                && e.get("direction").asText().equals(direction) && e.get("state").asText().equals(state);
    }

    private Path awaitFile(Path path) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.isRegularFile(path)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " did not appear\n" + kdc.log().tail(40));
            }
            Thread.sleep(100);
        }
        return path;
    }
}
