package io.github.gsbridge.testsupport;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.gsbridge.plugin.notification.OutgoingNotification;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.github.gsbridge.daemon.Daemon;
import io.github.gsbridge.daemon.DaemonOptions;
import io.github.gsbridge.daemon.FatalErrors;
import io.github.gsbridge.daemon.Service;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.Event;
import io.github.gsbridge.logging.EscapingServiceProvider;
import io.github.gsbridge.plugin.clipboard.ClipboardPlugin;
import io.github.gsbridge.plugin.findmyphone.FindMyPhonePlugin;
import io.github.gsbridge.plugin.notification.NotificationPlugin;
import io.github.gsbridge.plugin.ping.PingPlugin;
import io.github.gsbridge.plugin.share.SharePlugin;
import io.github.gsbridge.transfer.Transfer;
import io.github.gsbridge.transfer.TransferEvent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Runs a real {@link Daemon} in its own process (so tests can put it in a network namespace) and
 * drives it through stdin, one command per line. Stdout carries {@code READY {json}},
 * {@code EVENT {json}}, and one {@code OK {json}} or {@code ERROR message} per command; logs go
 * to stderr.
 */
public final class DaemonDriver {
    /** Events are records; an Optional in one is its value or null (jackson-databind has no Optional support). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer((Class) Optional.class, new StdSerializer<Optional<?>>((Class) Optional.class) {
                @Override
                public void serialize(Optional<?> value, JsonGenerator out, SerializerProvider provider)
                        throws IOException {
                    out.writeObject(value.orElse(null));
                }
            }));

    private DaemonDriver() {}

    public static void main(String[] args) throws Exception {
        EscapingServiceProvider.select();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        // The same composition as `gsbridge daemon`: ports taken when free, GSConnect watched, and
        // an Error on any thread ends the process.
        FatalErrors.install();
        Service service = Service.start(DaemonOptions.parse(Arrays.asList(args), System.getenv()));
        Daemon daemon = service.daemon();
        daemon.events().subscribe(event -> emit(out, "EVENT " + describe(event)));
        ObjectNode ready = JSON.createObjectNode();
        ready.put("deviceId", daemon.identity().deviceId());
        ready.put("tcpPort", daemon.tcpPort());
        ready.put("source", daemon.localIdentity().source().label());
        emit(out, "READY " + ready);

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.strip().split(" ", 3);
            if (words[0].equals("quit")) {
                break;
            }
            try {
                emit(out, "OK " + execute(service, words));
            } catch (DeviceException | IllegalArgumentException e) {
                emit(out, "ERROR " + e.getMessage());
            }
        }
        service.close();
    }

    /** Records as JSON; a transfer event carries the transfer's fields, since Transfer is no bean. */
    private static ObjectNode describe(Event event) {
        ObjectNode node;
        if (event instanceof TransferEvent transferEvent) {
            Transfer transfer = transferEvent.transfer();
            node = JSON.createObjectNode();
            node.put("deviceId", transfer.deviceId());
            node.put("id", transfer.id());
            node.put("direction", transfer.direction().name());
            node.put("state", transfer.state().name());
            node.put("bytesDone", transfer.bytesDone());
            node.put("bytesTotal", transfer.bytesTotal());
            transfer.files().forEach(node.putArray("files")::add);
            transfer.error().ifPresent(error -> node.put("error", error));
        } else {
            node = JSON.valueToTree(event);
        }
        node.put("event", event.getClass().getSimpleName());
        return node;
    }

    private static synchronized void emit(PrintStream out, String line) {
        out.println(line);
    }

    private static Object execute(Service service, String[] words) throws DeviceException {
        Daemon daemon = service.daemon();
        switch (words[0]) {
            case "state" -> {
                ObjectNode node = JSON.createObjectNode();
                node.put("state", daemon.state().kind().label());
                node.put("reason", daemon.state().reason());
                node.put("tcpPort", daemon.tcpPort());
                return node;
            }
            case "release" -> service.handover().release();
            case "takeover" -> service.handover().takeOver();
            case "devices" -> {
                ArrayNode list = JSON.createArrayNode();
                for (Device device : daemon.devices().devices()) {
                    ObjectNode node = list.addObject();
                    node.put("id", device.id());
                    node.put("name", device.name());
                    node.put("paired", device.isPaired());
                    node.put("reachable", device.isReachable());
                    node.put("pairing", device.pairingState().name());
                    node.put("protocolVersion", device.protocolVersion());
                    node.put("encryptionInfo", device.encryptionInfo());
                    device.verificationKey().ifPresent(key -> node.put("verificationKey", key));
                }
                return list;
            }
            case "announce" -> {
                if (words.length > 1) {
                    daemon.announceTo(address(words[1]));
                } else {
                    daemon.announce();
                }
                return "{}";
            }
            case "ping" -> {
                Optional<String> message = words.length > 2 ? Optional.of(words[2]) : Optional.empty();
                daemon.plugins().get(PingPlugin.class).ping(device(daemon, words), message);
                return "{}";
            }
            case "share-files" -> {
                // share-files DEVICE true|false PATH... (paths without spaces)
                String[] rest = argument(words).split(" ");
                List<Path> files = Arrays.stream(rest).skip(1).map(Path::of).toList();
                Transfer transfer = daemon.plugins().get(SharePlugin.class)
                        .shareFiles(device(daemon, words), files, Boolean.parseBoolean(rest[0]));
                ObjectNode node = JSON.createObjectNode();
                node.put("transfer", transfer.id());
                return node;
            }
            case "share-url" -> daemon.plugins().get(SharePlugin.class).shareUrl(device(daemon, words), argument(words));
            case "share-text" -> daemon.plugins().get(SharePlugin.class).shareText(device(daemon, words), argument(words));
            case "notify" -> {
                // notify <dev> {"id":?, "appName", "title", "text", "icon":? path, "clearable":? bool}
                com.fasterxml.jackson.databind.JsonNode spec;
                try {
                    spec = JSON.readTree(words.length > 2 ? words[2] : "");
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("notify needs a JSON object: " + e.getMessage());
                }
                String id = daemon.plugins().get(NotificationPlugin.class).send(device(daemon, words),
                        new OutgoingNotification(Optional.ofNullable(spec.path("id").textValue()),
                                spec.path("appName").asText(), spec.path("title").asText(), spec.path("text").asText(),
                                Optional.ofNullable(spec.path("icon").textValue()).map(java.nio.file.Path::of),
                                spec.path("clearable").asBoolean(true)));
                return JSON.createObjectNode().put("id", id);
            }
            case "withdraw" -> daemon.plugins().get(NotificationPlugin.class).withdraw(device(daemon, words), words[2]);
            case "dismiss" -> daemon.plugins().get(NotificationPlugin.class).dismiss(device(daemon, words), words[2]);
            case "notifications" -> {
                return JSON.valueToTree(daemon.plugins().get(NotificationPlugin.class).list(device(daemon, words).id()));
            }
            case "clipboard" -> daemon.plugins().get(ClipboardPlugin.class).send(device(daemon, words), argument(words));
            case "ring" -> daemon.plugins().get(FindMyPhonePlugin.class).ring(device(daemon, words));
            case "pair" -> device(daemon, words).requestPair();
            case "accept" -> device(daemon, words).acceptPair();
            case "reject" -> device(daemon, words).rejectPair();
            case "unpair" -> device(daemon, words).unpair();
            default -> throw new IllegalArgumentException("unknown command " + words[0]);
        }
        return "{}";
    }

    private static String argument(String[] words) {
        if (words.length < 3) {
            throw new IllegalArgumentException(words[0] + " needs a device and an argument");
        }
        return words[2];
    }

    private static Device device(Daemon daemon, String[] words) {
        if (words.length < 2) {
            throw new IllegalArgumentException(words[0] + " needs a device");
        }
        return daemon.devices().find(words[1])
                .orElseThrow(() -> new IllegalArgumentException("unknown device " + words[1]));
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("bad address " + text);
        }
    }
}
