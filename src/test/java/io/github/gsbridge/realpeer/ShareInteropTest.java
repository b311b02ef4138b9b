package io.github.gsbridge.realpeer;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.testsupport.GsbridgeProcess;
import io.github.gsbridge.testsupport.GsconnectHome;
import io.github.gsbridge.testsupport.KdeConnectPeer;
import io.github.gsbridge.testsupport.KdeConnectSetup;
import io.github.gsbridge.testsupport.RandomFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

import static io.github.gsbridge.testsupport.GsbridgeProcess.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shares between gsbridge and the real kdeconnectd 22.12 in two network namespaces, both sides
 * pre-paired as after pairing through GSConnect: files (checked by SHA-256), text and URLs.
 */
class ShareInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** For the 200 MiB file; kdeconnectd sends far faster, this only bounds a hang. */
    private static final Duration LARGE_WAIT = Duration.ofMinutes(3);
    private static final int MIB = 1024 * 1024;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private KdeConnectSetup setup;
    private GsconnectHome gsconnect;
    private KdeConnectPeer kdc;
    private GsbridgeProcess gsbridge;

    @BeforeEach
    void startBothPaired() throws Exception {
        setup = KdeConnectSetup.create(tmp);
        gsconnect = setup.gsconnect();
        kdc = setup.track(setup.prePaired().build());
        gsbridge = setup.link(kdc);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (setup != null) {
            setup.close();
        }
    }

    @Test
    void filesFromKdeconnectdArriveWhole() throws Exception {
        // GSConnect's per-device folder is where they go, not ~/Downloads.
        Path folder = tmp.resolve("from kdc");
        gsconnect.dconf().load("/org/gnome/shell/extensions/gsconnect/",
                "[device/" + kdc.deviceId() + "/plugin/share]\nreceive-directory='" + folder + "'\n");
        for (long size : new long[] {MIB, 200L * MIB}) {
            String name = "random-" + size + ".bin";
            Path source = tmp.resolve(name);
            String sha = RandomFiles.write(source, size, size);
            kdc.cli("--share", source.toString(), "-d", gsconnect.deviceId()).assertOk("kdeconnect-cli --share");
            JsonNode received = gsbridge.awaitEvent(e -> e.get("event").asText().equals("FileReceived")
                    && e.get("path").asText().endsWith("/" + name), size > MIB ? LARGE_WAIT : WAIT);
            Path path = Path.of(received.get("path").asText());
            assertEquals(folder, path.getParent());
            assertEquals(size, Files.size(path));
            assertEquals(sha, RandomFiles.sha256(path), name + " arrived byte-identical");
            JsonNode done = gsbridge.awaitEvent(transfer("IN", "COMPLETED", received.get("transferId").asLong()), WAIT);
            assertEquals(size, done.get("bytesDone").asLong());
        }
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
    void threeFilesToKdeconnectdInOneShare() throws Exception {
        long[] sizes = {1000, 3L * MIB + 17, 64L * MIB};
        String[] shas = new String[sizes.length];
        StringBuilder paths = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            Path source = tmp.resolve("out-" + i + ".bin");
            shas[i] = RandomFiles.write(source, sizes[i], 100 + i);
            paths.append(' ').append(source);
        }
        long id = gsbridge.command("share-files " + kdc.deviceId() + " false" + paths).get("transfer").asLong();
        JsonNode done = gsbridge.awaitEvent(transfer("OUT", "COMPLETED", id).or(transfer("OUT", "FAILED", id)),
                LARGE_WAIT);
        assertEquals("COMPLETED", done.get("state").asText(), done + "\n" + kdc.log().tail(40));
        assertEquals(sizes[0] + sizes[1] + sizes[2], done.get("bytesDone").asLong());
        for (int i = 0; i < sizes.length; i++) {
            // kdeconnectd writes NAME.part and renames it when the payload socket closes.
            Path arrived = awaitFile(kdc.downloadDir().resolve("out-" + i + ".bin"));
            assertEquals(sizes[i], Files.size(arrived));
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
