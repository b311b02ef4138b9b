package io.github.gsbridge.desktop;

import io.github.gsbridge.desktop.DesktopNotifier.Action;
import io.github.gsbridge.desktop.DesktopNotifier.Listener;
import io.github.gsbridge.desktop.DesktopNotifier.Notice;
import io.github.gsbridge.device.Device;
import io.github.gsbridge.device.DeviceEvent;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.Event;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.threads.Threads;
import io.github.gsbridge.transfer.Transfer;
import io.github.gsbridge.transfer.TransferEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * What the person at the desktop sees of gsbridge, which has no window: a desktop notification
 * for each pair request (with Accept and Reject), each file received, each transfer sent, and
 * what plugins' events ask to show ({@link ShownOnDesktop}: links, texts, pings). Phone
 * notifications are mirrored by the notification plugin itself.
 */
public final class DesktopFace implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopFace.class);
    static final String APP_NAME = "gsbridge";
    static final String ACCEPT = "accept";
    static final String REJECT = "reject";
    static final String OPEN = "open";
    static final String SHOW = "show";
    /** Schemes a link from a device may be opened with: a click must not run a local program or file. */
    private static final Set<String> OPENABLE_SCHEMES = Set.of("http", "https", "mailto", "tel", "sms", "geo");

    private final DesktopNotifier notifier;
    private final DesktopLauncher launcher;
    private final Function<String, Optional<Device>> devices;
    private final Set<NotificationKind> enabled;
    private final Runnable unsubscribe;
    /** D-Bus calls wait on the server and a launched program: never on a link thread, and in order. */
    private final ExecutorService calls = Executors.newSingleThreadExecutor(Threads.daemon("desktop-face"));
    /** The open pair notification of each device; only on {@link #calls}. */
    private final Map<String, Integer> pairNotices = new HashMap<>();
    /** The notification of each outgoing transfer, replaced when it ends; only on {@link #calls}. */
    private final Map<Long, Integer> sendNotices = new HashMap<>();

    /**
     * Shows notifications of the {@code enabled} kinds for what {@code events} reports; {@code devices}
     * finds a device by id.
     */
    public DesktopFace(DesktopNotifier notifier, DesktopLauncher launcher, EventBus events,
                       Function<String, Optional<Device>> devices, Set<NotificationKind> enabled) {
        this.notifier = notifier;
        this.launcher = launcher;
        this.devices = devices;
        this.enabled = Set.copyOf(enabled);
        this.unsubscribe = events.subscribe(this::onEvent);
    }

    private void onEvent(Event event) {
        if (event instanceof TransferEvent.Changed changed && !changed.transfer().isFinished()) {
            return; // progress, many times a second
        }
        later(() -> {
            try {
                handle(event);
            } catch (RuntimeException e) {
                LOG.warn("desktop notification for {} failed", event, e);
            }
        });
    }

    /** Runs {@code call} on the notification thread; once closing, events still arriving are let go. */
    private void later(Runnable call) {
        try {
            calls.execute(call);
        } catch (RejectedExecutionException e) {
            LOG.debug("closing: no desktop notification any more");
        }
    }

    private void handle(Event event) {
        if (event instanceof DeviceEvent.PairRequested request && enabled.contains(NotificationKind.PAIRING)) {
            pairRequested(request.deviceId());
        } else if (event instanceof DeviceEvent.PairRequestSent sent && enabled.contains(NotificationKind.PAIRING)) {
            pairRequestSent(sent.deviceId());
        } else if (event instanceof DeviceEvent.Paired paired) {
            closePairNotice(paired.deviceId());
        } else if (event instanceof DeviceEvent.PairingFailed failed) {
            pairingFailed(failed.deviceId(), failed.reason());
        } else if (event instanceof DeviceEvent.Unpaired unpaired) {
            closePairNotice(unpaired.deviceId());
        } else if (event instanceof ShownOnDesktop shown && enabled.contains(shown.kind())) {
            show(shown);
        } else if (event instanceof TransferEvent transferEvent) {
            transfer(transferEvent);
        }
    }

    private void pairRequested(String deviceId) {
        Optional<Device> device = devices.apply(deviceId);
        if (device.isEmpty()) {
            return;
        }
        String name = device.get().name();
        Listener answer = new Listener() {
            @Override
            public void action(String key) {
                later(() -> answer(device.get(), key));
            }

            @Override
            public void closed(int reason) {
                later(() -> pairNotices.remove(deviceId));
            }
        };
        Notice notice = Notice.of(APP_NAME, name + " wants to pair", whatToCompare(device.get()))
                .withActions(List.of(new Action(REJECT, "Reject"), new Action(ACCEPT, "Accept")), answer)
                .staying().replacing(pairNotices.getOrDefault(deviceId, 0));
        showPairNotice(deviceId, notice);
    }

    private void pairRequestSent(String deviceId) {
        Optional<Device> device = devices.apply(deviceId);
        if (device.isEmpty()) {
            return;
        }
        Notice notice = Notice.of(APP_NAME, "Pairing with " + device.get().name(),
                whatToCompare(device.get()) + "\nThen accept on " + device.get().name() + ".")
                .replacing(pairNotices.getOrDefault(deviceId, 0));
        showPairNotice(deviceId, notice);
    }

    private void showPairNotice(String deviceId, Notice notice) {
        int id = notifier.show(notice);
        if (id != 0) {
            pairNotices.put(deviceId, id);
        }
    }

    /** Protocol 8 peers show a short key derived from both certificates; older ones their fingerprints. */
    private static String whatToCompare(Device device) {
        Optional<String> key = device.verificationKey();
        if (device.protocolVersion() >= 8 && key.isPresent()) {
            return "Compare this key with the one " + device.name() + " shows: " + key.get();
        }
        return "Compare the fingerprints with those " + device.name() + " shows: " + device.encryptionInfo();
    }

    private void answer(Device device, String key) {
        try {
            if (key.equals(ACCEPT)) {
                device.acceptPair();
            } else if (key.equals(REJECT)) {
                device.rejectPair();
            }
        } catch (DeviceException e) {
            // Answered elsewhere, expired or disconnected meanwhile: PairingFailed said so already.
            LOG.info("{}: {} from the desktop notification did not apply: {}", device, key, e.getMessage());
        }
    }

    private void pairingFailed(String deviceId, String reason) {
        boolean wasShown = pairNotices.containsKey(deviceId);
        closePairNotice(deviceId);
        if (wasShown && !reason.equals("rejected by the user")) {
            // The reasons are short phrases: "timed out", "rejected by the device".
            String sentence = reason.isEmpty() ? "" : Character.toUpperCase(reason.charAt(0)) + reason.substring(1) + ".";
            notifier.show(Notice.of(APP_NAME, "Not paired with " + name(deviceId), sentence));
        }
    }

    private void closePairNotice(String deviceId) {
        Integer id = pairNotices.remove(deviceId);
        if (id != null) {
            notifier.close(id);
        }
    }

    private void show(ShownOnDesktop shown) {
        Notice notice = Notice.of(APP_NAME, shown.title(name(shown.deviceId())), shown.body());
        Optional<String> link = shown.link().filter(url -> OPENABLE_SCHEMES.contains(scheme(url)));
        if (link.isPresent()) {
            notice = notice.withActions(List.of(new Action(OPEN, "Open")), new Listener() {
                @Override
                public void action(String key) {
                    launcher.open(link.get());
                }
            });
        }
        notifier.show(notice);
    }

    private static String scheme(String url) {
        try {
            String scheme = new URI(url).getScheme();
            return scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        } catch (java.net.URISyntaxException e) {
            return "";
        }
    }

    private void transfer(TransferEvent event) {
        Transfer transfer = event.transfer();
        if (transfer.direction() == Transfer.Direction.IN) {
            if (event instanceof TransferEvent.Changed && enabled.contains(NotificationKind.RECEIVED)) {
                received(transfer);
            }
            return;
        }
        if (!enabled.contains(NotificationKind.SENT)) {
            return;
        }
        if (event instanceof TransferEvent.Added && !transfer.isFinished()) {
            int id = notifier.show(Notice.of(APP_NAME, "Sending " + what(transfer) + " to " + name(transfer.deviceId()),
                    ""));
            if (id != 0) {
                sendNotices.put(transfer.id(), id);
            }
        } else if (event instanceof TransferEvent.Changed) {
            int replaces = Optional.ofNullable(sendNotices.remove(transfer.id())).orElse(0);
            String device = name(transfer.deviceId());
            Notice notice = switch (transfer.state()) {
                case COMPLETED -> Notice.of(APP_NAME, "Sent " + what(transfer) + " to " + device, "");
                case FAILED -> Notice.of(APP_NAME, "Could not send " + what(transfer) + " to " + device,
                        transfer.error().orElse(""));
                default -> Notice.of(APP_NAME, "Sending " + what(transfer) + " to " + device + " was cancelled", "");
            };
            notifier.show(notice.replacing(replaces));
        }
    }

    private void received(Transfer transfer) {
        String device = name(transfer.deviceId());
        List<Path> files = transfer.files().stream().map(Path::of).toList();
        if (transfer.state() == Transfer.State.FAILED) {
            String kept = files.isEmpty() ? "" : "\n" + (files.size() == 1 ? "One file arrived." : files.size()
                    + " files arrived.");
            notifier.show(Notice.of(APP_NAME, "Receiving from " + device + " failed",
                    transfer.error().orElse("") + kept).withActions(files.isEmpty() ? List.of()
                    : List.of(new Action(SHOW, "Show in Files")), showOrOpen(files)));
            return;
        }
        if (transfer.state() != Transfer.State.COMPLETED || files.isEmpty()) {
            return;
        }
        Notice notice = files.size() == 1
                ? Notice.of(APP_NAME, files.get(0).getFileName() + " from " + device, "Saved in "
                        + files.get(0).getParent())
                        .withActions(List.of(new Action(OPEN, "Open"), new Action(SHOW, "Show in Files")),
                                showOrOpen(files))
                : Notice.of(APP_NAME, files.size() + " files from " + device, names(files) + "\nSaved in "
                        + files.get(0).getParent())
                        .withActions(List.of(new Action(SHOW, "Show in Files")), showOrOpen(files));
        notifier.show(notice);
    }

    private Listener showOrOpen(List<Path> files) {
        return new Listener() {
            @Override
            public void action(String key) {
                if (key.equals(OPEN)) {
                    launcher.open(files.get(0).toUri().toString());
                } else if (key.equals(SHOW)) {
                    launcher.showInFiles(files);
                }
            }
        };
    }

    private static String names(List<Path> files) {
        StringBuilder out = new StringBuilder();
        for (Path file : files) {
            out.append(out.length() == 0 ? "" : ", ").append(file.getFileName());
        }
        return out.toString();
    }

    private static String what(Transfer transfer) {
        List<String> files = transfer.files();
        return files.size() == 1 ? String.valueOf(Path.of(files.get(0)).getFileName()) : files.size() + " files";
    }

    private String name(String deviceId) {
        return devices.apply(deviceId).map(Device::name).orElse(deviceId);
    }

    @Override
    public void close() {
        unsubscribe.run();
        calls.shutdown();
    }
}
