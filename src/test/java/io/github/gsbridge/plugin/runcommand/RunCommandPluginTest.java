package io.github.gsbridge.plugin.runcommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.gsbridge.daemon.Daemon;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.lan.Link;
import io.github.gsbridge.lan.RawPeer;
import io.github.gsbridge.testsupport.LogCapture;
import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.LoopbackPhone;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin against the in-repo peer: a paired phone that lists and runs this computer's commands,
 * sends its own, and tries what a hostile phone would. Commands are real {@code sh} command lines
 * that leave a file behind when they run.
 */
class RunCommandPluginTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Set<String> TYPES = Set.of(RunCommandPlugin.LIST, RunCommandPlugin.REQUEST);

    @TempDir
    Path dir;

    private LoopbackPhone phone;
    private RunCommandPlugin plugin;
    private OwnCommandStore store;
    private LogCapture log;
    /** Ends the test's hanging commands, which outlive the daemon. */
    private Path release;

    @BeforeEach
    void setUp() throws Exception {
        log = LogCapture.start();
        release = dir.resolve("release");
        store = new OwnCommandStore(dir.resolve("config"));
        Files.createDirectories(dir.resolve("home"));
        phone = LoopbackPhone.start(dir, events -> List.of(new RunCommandPlugin(events, store,
                new CommandRunner(dir.resolve("home")))), TYPES, TYPES);
        plugin = phone.daemon().plugins().get(RunCommandPlugin.class);
        // on connect the plugin sends our list, then asks for the phone's: once that question is
        // here, what the tests send later cannot cross the first list
        phone.peer().awaitPacket(p -> p.isType(RunCommandPlugin.REQUEST)
                && p.body().path("requestCommandList").asBoolean(), WAIT);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (!Files.exists(release)) {
            Files.createFile(release);
        }
        if (phone != null) {
            phone.close();
        }
        log.close();
    }

    private Device device() {
        return phone.device();
    }

    private void send(Packet packet) throws Exception {
        phone.peer().send(phone.link(), packet);
    }

    private static Packet request(String field, Object value) {
        Packet packet = new Packet(RunCommandPlugin.REQUEST);
        packet.body().set(field, LISTS.valueToTree(value));
        return packet;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper LISTS = CommandLists.JSON;

    /** A command line that leaves {@code file} behind. */
    private String touching(Path file) {
        return "touch '" + file + "'";
    }

    private void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(file)) {
            assertTrue(System.nanoTime() < deadline, file + " was not made");
            Thread.sleep(20);
        }
    }

    /** The list in a kdeconnect.runcommand packet we sent that matches. */
    private JsonNode sentList(Predicate<JsonNode> match) throws Exception {
        Packet packet = phone.peer().awaitPacket(p -> p.isType(RunCommandPlugin.LIST)
                && match.test(parse(p)), WAIT);
        return parse(packet);
    }

    private static JsonNode parse(Packet packet) {
        try {
            return LISTS.readTree(packet.body().get("commandList").asText());
        } catch (Exception e) {
            throw new AssertionError(packet.toString(), e);
        }
    }

    /** A marker request after a refusal: its answer shows the refused packet was handled before it. */
    private void roundTrip() throws Exception {
        int before = phone.peer().received().size();
        send(request("requestCommandList", true));
        listSince(before);
    }

    /** The first list we sent after the phone had received {@code count} packets. */
    private JsonNode listSince(int count) throws Exception {
        return parse(phone.peer().awaitPacket(p -> p.isType(RunCommandPlugin.LIST)
                && phone.peer().received().indexOf(p) >= count, WAIT));
    }

    @Test
    void onConnectWeSendOurListAndAskForTheirs() throws Exception {
        Packet ours = phone.peer().awaitPacket(p -> p.isType(RunCommandPlugin.LIST), WAIT);
        // kdeconnect-kde and GSConnect read the list from a JSON string
        assertTrue(ours.body().get("commandList").isTextual(), ours.toString());
        assertEquals(LISTS.createObjectNode(), parse(ours));
        assertFalse(ours.body().get("canAddCommand").asBoolean());
    }

    @Test
    void thePhoneListsAndRunsACommandTheUserAdded() throws Exception {
        Path made = dir.resolve("made by the phone");
        String key = plugin.add(device(), "Touch", touching(made));
        // the phone is sent the new list at once
        JsonNode list = sentList(l -> l.has(key));
        assertEquals("Touch", list.get(key).get("name").asText());
        assertEquals(touching(made), list.get(key).get("command").asText());

        send(request("key", key));
        awaitFile(made);
        log.await(WAIT, "\"Touch\" (" + key + ") ended with exit status 0");
    }

    @Test
    void anEditOfTheFileReachesThePhoneWithoutARequest() throws Exception {
        Path made = dir.resolve("made after the edit");
        // as a user edits runcommand.json: written in place, not through the store
        Files.writeString(dir.resolve("config/runcommand.json"), LISTS.createObjectNode().set(device().id(),
                LISTS.createObjectNode().set("edited", LISTS.createObjectNode().put("name", "Touch")
                        .put("command", touching(made)))).toString());
        JsonNode list = sentList(l -> l.has("edited"));
        assertEquals(touching(made), list.get("edited").get("command").asText());
        send(request("key", "edited"));
        awaitFile(made);

        // an edit that leaves the list as it was sends nothing
        int before = phone.peer().received().size();
        Files.writeString(dir.resolve("config/runcommand.json"), Files.readString(dir.resolve("config/runcommand.json"))
                + "\n");
        Files.delete(dir.resolve("config/runcommand.json"));
        JsonNode emptied = listSince(before);
        assertEquals(LISTS.createObjectNode(), emptied);
    }

    @Test
    void theExitStatusAndABoundedPartOfTheOutputAreLogged() throws Exception {
        String key = plugin.add(device(), "Chatty", "head -c 100000 /dev/zero | tr '\\0' x; echo; exit 3");
        send(request("key", key));
        String line = log.await(WAIT, "\"Chatty\" (" + key + ") ended with exit status 3");
        assertTrue(line.contains("output (first " + CommandRunner.LOGGED_OUTPUT + " of 100001 bytes): xxx"), line);
        assertTrue(line.length() < CommandRunner.LOGGED_OUTPUT + 500, "log line of " + line.length());
    }

    @Test
    void anUnknownKeyRunsNothing() throws Exception {
        Path made = dir.resolve("made");
        plugin.add(device(), "Touch", touching(made));
        assertRefused("no-such-key", made);
    }

    @Test
    void aKeyOfAnotherDevicesListDoesNotRun() throws Exception {
        Path made = dir.resolve("made for another device");
        store.put("another_device_id_0123456789abcd", "other-key", new Command("Touch", touching(made)));
        assertRefused("other-key", made);
    }

    /** The phone asks to run {@code key}: refused, and {@code made} is not made. */
    private void assertRefused(String key, Path made) throws Exception {
        send(request("key", key));
        log.await(WAIT, "refused to run command '" + key + "': not a key of the commands it may run");
        roundTrip();
        assertFalse(Files.exists(made));
    }

    @Test
    void textFromThePhoneNeverReachesAShell() throws Exception {
        Path made = dir.resolve("injected");
        String key = plugin.add(device(), "Echo", "echo hello");
        for (String hostile : List.of(key + "; touch '" + made + "'", "$(touch '" + made + "')",
                "`touch '" + made + "'`", key + "\ntouch '" + made + "'")) {
            send(request("key", hostile));
        }
        // arguments beside the key are not read at all
        ObjectNode withArguments = (ObjectNode) request("key", key).body();
        withArguments.put("arguments", "; touch '" + made + "'").put("command", "touch '" + made + "'");
        Packet packet = new Packet(RunCommandPlugin.REQUEST);
        packet.body().setAll(withArguments);
        send(packet);
        log.await(WAIT, "\"Echo\" (" + key + ") ended with exit status 0", "; output: hello");
        assertEquals(4, log.matching("refused to run command").size(), String.join("\n", log.matching("refused")));
        assertFalse(Files.exists(made));
    }

    @Test
    void malformedAndHugeRequestsAreRefusedAndTheLinkGoesOn() throws Exception {
        Path made = dir.resolve("made");
        String key = plugin.add(device(), "Touch", touching(made));
        send(request("key", 42));
        send(request("key", Map.of("key", key)));
        send(request("key", null));
        send(request("requestCommandList", "yes"));
        send(request("key", "k".repeat(1024 * 1024)));
        send(request("setup", true));
        // the link reads packets in order: once the answer is here, all of them were handled
        roundTrip();
        assertEquals(1, log.matching("refused to run command 'kkkk", "(1048576 characters)").size());
        assertEquals(2, log.matching("refused " + RunCommandPlugin.REQUEST + ": key is not a string").size());
        assertEquals(1, log.matching("refused " + RunCommandPlugin.REQUEST + ": requestCommandList is not a boolean")
                .size());
        assertEquals(2, log.matching("ignored " + RunCommandPlugin.REQUEST + " without a key").size());
        assertTrue(log.matching("kkkk").stream().allMatch(l -> l.length() < 1000), "the key is shortened in the log");
        assertFalse(Files.exists(made));
        assertTrue(device().isReachable());
    }

    @Test
    void aCommandThatHangsHoldsOneOfAFewPlacesAndNothingElse() throws Exception {
        // runs until the test makes the release file
        String hang = plugin.add(device(), "Hang", "while [ ! -e '" + release + "' ]; do sleep 0.05; done");
        Path made = dir.resolve("made after the hang");
        String touch = plugin.add(device(), "Touch", touching(made));
        for (int i = 0; i < CommandRunner.MAX_RUNNING; i++) {
            send(request("key", hang));
        }
        send(request("key", touch));
        log.await(WAIT, "refused to run \"Touch\"", CommandRunner.MAX_RUNNING + " of its commands are still running");
        // the daemon still answers the phone
        roundTrip();
        assertEquals(CommandRunner.MAX_RUNNING, log.matching("running \"Hang\"").size());
        assertFalse(Files.exists(made));

        // once they end, the phone may run commands again
        Files.createFile(release);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (log.matching("\"Hang\" (" + hang + ") ended with exit status 0").size() < CommandRunner.MAX_RUNNING) {
            assertTrue(System.nanoTime() < deadline, "the hanging commands did not end");
            Thread.sleep(20);
        }
        send(request("key", touch));
        awaitFile(made);
    }

    @Test
    void anUnpairedDeviceCannotRunCommands() throws Exception {
        Path made = dir.resolve("made by a stranger");
        String key = plugin.add(device(), "Touch", touching(made));
        String strangerId = LocalCertificate.newDeviceId();
        try (RawPeer stranger = new RawPeer(LocalCertificate.generate(strangerId), strangerId,
                Daemon.PROTOCOL_VERSION, LoopbackNode.lanConfig(Ports.freeRange(4), 1), TYPES, TYPES)) {
            stranger.connectTo(LoopbackNode.LOOPBACK,
                    phone.daemon().identity().withTcpPort(phone.daemon().tcpPort()));
            Link link = stranger.awaitLink(WAIT);
            Packet run = request("key", key);
            stranger.send(link, run);
            log.await(WAIT, "refused " + RunCommandPlugin.REQUEST + " from an unpaired device");
        }
        roundTrip();
        assertFalse(Files.exists(made));
    }

    @Test
    void thePhonesListArrivesAndItsCommandsRunByKey() throws Exception {
        Packet list = new Packet(RunCommandPlugin.LIST);
        list.body().put("commandList", "{\"k1\":{\"name\":\"Lock\",\"command\":\"loginctl lock-session\"},"
                + "\"k2\":{\"name\":\"Nameless\"},\"k3\":\"not an object\"}");
        list.body().put("canAddCommand", true);
        send(list);
        phone.events().await(RunCommandPlugin.RemoteCommandsChanged.class, e -> e.deviceId().equals(phone.peerId()),
                WAIT);
        assertEquals(Map.of("k1", new Command("Lock", "loginctl lock-session")),
                plugin.remoteCommands(phone.peerId()));

        plugin.runRemote(device(), "k1");
        Packet run = phone.peer().awaitPacket(p -> p.isType(RunCommandPlugin.REQUEST) && p.body().has("key"), WAIT);
        assertEquals("k1", run.body().get("key").asText());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> plugin.runRemote(device(), "k9"));
        assertEquals("it has no command with the key k9 (it has: Lock (k1))", unknown.getMessage());
    }

    @Test
    void aListAsAnObjectIsReadTooAndAHugeOneIsCut() throws Exception {
        ObjectNode many = LISTS.createObjectNode();
        for (int i = 0; i < 5000; i++) {
            many.putObject("key" + i).put("name", "Command " + i).put("command", "true");
        }
        Packet list = new Packet(RunCommandPlugin.LIST);
        list.body().set("commandList", many);
        send(list);
        phone.events().await(RunCommandPlugin.RemoteCommandsChanged.class, e -> !e.commands().isEmpty(), WAIT);
        assertEquals(CommandLists.MAX_COMMANDS, plugin.remoteCommands(phone.peerId()).size());
        log.await(WAIT, "left out 4000 entries of its command list");
    }

    @Test
    void aListThatIsNotJsonIsIgnored() throws Exception {
        for (String bad : List.of("{not json", "[1,2]", "42")) {
            Packet list = new Packet(RunCommandPlugin.LIST);
            list.body().put("commandList", bad);
            send(list);
        }
        Packet numeric = new Packet(RunCommandPlugin.LIST);
        numeric.body().put("commandList", 7);
        send(numeric);
        send(new Packet(RunCommandPlugin.LIST));
        roundTrip();
        String ignored = String.join("\n", log.matching("ignored"));
        assertEquals(1, log.matching("ignored its command list: not JSON").size(), ignored);
        assertEquals(3, log.matching("ignored its command list: not a JSON object").size(), ignored);
        assertEquals(1, log.matching("ignored " + RunCommandPlugin.LIST + " without a commandList").size(), ignored);
        assertEquals(Map.of(), plugin.remoteCommands(phone.peerId()));
        assertTrue(device().isReachable());
    }

    @Test
    void removingACommandTellsThePhoneAndItNoLongerRuns() throws Exception {
        Path made = dir.resolve("made after removal");
        String key = plugin.add(device(), "Touch", touching(made));
        sentList(l -> l.has(key));
        int before = phone.peer().received().size();
        plugin.remove(device(), key);
        // The file watch may send the list it saw after the add once more; what counts is the last one.
        phone.peer().awaitPacket(p -> p.isType(RunCommandPlugin.LIST) && phone.peer().received().indexOf(p) >= before
                && !parse(p).has(key), WAIT);
        send(request("key", key));
        log.await(WAIT, "refused to run command '" + key + "'");
        assertFalse(Files.exists(made));
        List<Packet> lists = phone.peer().received().stream().filter(p -> p.isType(RunCommandPlugin.LIST)).toList();
        assertFalse(parse(lists.get(lists.size() - 1)).has(key), "the phone keeps a removed command: " + lists);
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> plugin.remove(device(), key));
        assertEquals("it has no command with the key " + key, again.getMessage());
    }
}
