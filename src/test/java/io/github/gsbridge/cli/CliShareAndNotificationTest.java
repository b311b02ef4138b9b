package io.github.gsbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gsbridge.plugin.notification.OutgoingNotification;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.plugin.notification.NotificationPlugin;
import io.github.gsbridge.plugin.share.SharePlugin;
import io.github.gsbridge.testsupport.BusFixture;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's share and notification commands; they need the share and notification plugins. */
class CliShareAndNotificationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final Stage<BusFixture> fixture = BusFixture.eachTest();
    private LoopbackNode beta;

    @BeforeEach
    void pairBeta() throws Exception {
        beta = fixture.get().pairedBeta();
    }

    private String gsbridge(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("DBUS_SESSION_BUS_ADDRESS", fixture.get().bus.address()), false, fixture.dir()));
        assertEquals(0, status, List.of(args) + "\n[stdout]\n" + out + "[stderr]\n" + err);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shareWaitsUntilEveryFileArrived() throws Exception {
        Files.write(fixture.dir().resolve("a.bin"), new byte[200_000]);
        Files.writeString(fixture.dir().resolve("b.txt"), "bee");
        // Relative names are the caller's: the CLI resolves them against its working directory.
        String out = gsbridge("share", "-d", "beta", "a.bin", "b.txt");
        assertTrue(out.contains("Sent 2 file(s) to beta."), out);
        for (String name : List.of("a.bin", "b.txt")) {
            SharePlugin.FileReceived received = beta.events().await(SharePlugin.FileReceived.class,
                    e -> Path.of(e.path()).getFileName().toString().equals(name), BusFixture.WAIT);
            assertArrayEquals(Files.readAllBytes(fixture.dir().resolve(name)),
                    Files.readAllBytes(Path.of(received.path())));
        }
    }

    @Test
    void urlAndText() throws Exception {
        gsbridge("share-url", "-d", "beta", "https://example.org/x");
        beta.events().await(SharePlugin.UrlReceived.class, e -> e.url().equals("https://example.org/x"),
                BusFixture.WAIT);
        gsbridge("share-text", "-d", "beta", "two", "words");
        beta.events().await(SharePlugin.TextReceived.class, e -> e.text().equals("two words"), BusFixture.WAIT);
    }

    @Test
    void notifyWithdrawAndList() throws Exception {
        String id = gsbridge("notify", "-d", "beta", "--title", "Backup", "--text", "finished", "--app", "borg",
                "--id", "backup-1").strip();
        assertEquals("backup-1", id);
        beta.events().await(NotificationPlugin.NotificationPosted.class,
                e -> e.notification().title().equals("Backup") && e.notification().appName().equals("borg"),
                BusFixture.WAIT);
        gsbridge("withdraw", "-d", "beta", id);
        beta.events().await(NotificationPlugin.NotificationRemoved.class, e -> true, BusFixture.WAIT);

        beta.daemon().plugins().get(NotificationPlugin.class).send(beta.device(fixture.get().alpha.id()),
                new OutgoingNotification(Optional.of("n-1"), "Mail", "Bob", "hi", Optional.empty(), true));
        fixture.get().alpha.events().await(NotificationPlugin.NotificationPosted.class, e -> true, BusFixture.WAIT);
        JsonNode list = JSON.readTree(gsbridge("notifications", "-d", "beta", "--json"));
        assertEquals(1, list.size(), list.toString());
        assertEquals("Bob", list.get(0).get("title").asText());
        assertEquals("Mail", list.get(0).get("appName").asText());
        assertTrue(gsbridge("notifications", "-d", "beta").contains("[Mail] Bob: hi"));
    }
}
