package io.github.gsbridge.plugin.share;

import io.github.gsbridge.device.Device;
import io.github.gsbridge.threads.Threads;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.lan.PayloadUpload;
import io.github.gsbridge.transfer.Transfer;
import io.github.gsbridge.transfer.Transfers;
import io.github.gsbridge.wire.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The sending half of file shares: every file checked first, then sent one by one in the background. */
final class OutgoingFiles {
    private static final Logger LOG = LoggerFactory.getLogger(OutgoingFiles.class);
    private static final int SENDERS = 2;
    private static final int MAX_QUEUED = 64;
    /**
     * The wait between one file's end and the next file's packet. kdeconnect-kde creates the
     * destination folder with a synchronous KIO job for each file packet (22.12 does; later
     * versions still do). When that packet arrives while it is still writing the previous file,
     * 22.12's main thread can block for good inside KIO (a gdb trace shows it in accept()), and
     * it never fetches the next payload. Phones send files back to back too, but a fifth of a
     * second per file costs little next to hanging the receiving daemon.
     */
    static final Duration PAUSE_BETWEEN_FILES = Duration.ofMillis(200);
    /**
     * How long an empty file's 0-byte payload is offered. GSConnect fetches it at once and creates
     * the file only then; kdeconnect creates it from the packet and never fetches, so waiting the
     * full accept timeout would hold a payload port and delay the next file for nothing.
     */
    static final Duration EMPTY_FILE_FETCH_GRACE = Duration.ofSeconds(5);

    private final Transfers transfers;
    private final ExecutorService senders = new ThreadPoolExecutor(SENDERS, SENDERS, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(MAX_QUEUED), Threads.numbered("share-send"));

    OutgoingFiles(Transfers transfers) {
        this.transfers = transfers;
        ((ThreadPoolExecutor) senders).allowCoreThreadTimeOut(true);
    }

    void close() {
        senders.shutdownNow();
    }

    /** What is sent about one file, read before the share starts. */
    private record Source(Path path, long size, long lastModified, long creationTime) { }

    Transfer share(Device device, List<Path> files, boolean open) throws DeviceException {
        if (files.isEmpty()) {
            throw new DeviceException(device.id() + ": " + SharePlugin.REQUEST + ": no files to share");
        }
        List<Source> sources = new ArrayList<>();
        long total = 0;
        for (Path file : files) {
            Source source = check(device, file);
            sources.add(source);
            total += source.size();
        }
        device.requireAccepts(SharePlugin.REQUEST);
        Transfer transfer = transfers.create(device.id(), Transfer.Direction.OUT, total,
                files.stream().map(Path::toString).toList());
        try {
            senders.execute(() -> send(device, transfer, sources, open));
        } catch (RejectedExecutionException e) {
            transfer.fail("too many shares waiting");
            throw new DeviceException(device.id() + ": " + SharePlugin.REQUEST + ": more than " + MAX_QUEUED
                    + " shares are waiting to be sent");
        }
        return transfer;
    }

    private static Source check(Device device, Path file) throws DeviceException {
        String problem = null;
        BasicFileAttributes attributes = null;
        if (!Files.exists(file)) {
            problem = "it does not exist";
        } else if (!Files.isRegularFile(file)) {
            problem = "it is not a regular file";
        } else if (!Files.isReadable(file)) {
            problem = "it is not readable";
        } else {
            try {
                attributes = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (IOException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            throw new DeviceException(device.id() + ": cannot share " + file + ": " + problem);
        }
        return new Source(file, attributes.size(), attributes.lastModifiedTime().toMillis(),
                attributes.creationTime().toMillis());
    }

    private void send(Device device, Transfer transfer, List<Source> sources, boolean open) {
        if (transfer.isCancelled()) {
            return;
        }
        transfer.start();
        long total = sources.stream().mapToLong(Source::size).sum();
        AtomicReference<PayloadUpload> current = new AtomicReference<>();
        transfer.onCancel(() -> {
            PayloadUpload upload = current.get();
            if (upload != null) {
                upload.close();
            }
        });
        long sent = 0;
        for (int i = 0; i < sources.size(); i++) {
            if (i > 0 && !pauseBeforeNextFile(transfer)) {
                return;
            }
            Source source = sources.get(i);
            Packet packet = new Packet(SharePlugin.REQUEST);
            packet.body().put("filename", source.path().getFileName().toString())
                    .put("lastModified", source.lastModified())
                    .put("creationTime", source.creationTime())
                    .put("open", open)
                    .put("numberOfFiles", sources.size())
                    .put("totalPayloadSize", total);
            long offset = sent;
            try {
                if (source.size() == 0) {
                    try (PayloadUpload upload = device.offerPayload(packet, 0)) {
                        current.set(upload);
                        if (!upload.transferEmpty(EMPTY_FILE_FETCH_GRACE) && !transfer.isCancelled()) {
                            LOG.debug("{}: {} not fetched; the receiver makes it from the packet", device,
                                    source.path());
                        }
                    }
                } else {
                    try (InputStream in = Files.newInputStream(source.path());
                         PayloadUpload upload = device.offerPayload(packet, source.size())) {
                        current.set(upload);
                        if (transfer.isCancelled()) {
                            return;
                        }
                        upload.transfer(in, source.size(), done -> transfer.progress(offset + done),
                                PayloadUpload.ACCEPT_TIMEOUT);
                    }
                }
            } catch (DeviceException | IOException e) {
                if (transfer.isCancelled()) {
                    LOG.info("{}: {} of {} cancelled", device, SharePlugin.REQUEST, source.path());
                } else {
                    LOG.warn("{}: {} of {} failed: {}", device, SharePlugin.REQUEST, source.path(), e.getMessage());
                    transfer.fail(source.path().getFileName() + ": " + reason(device.name(), e));
                }
                return;
            }
            sent += source.size();
            transfer.progress(sent);
        }
        LOG.info("{}: shared {} file(s), {} bytes (transfer {})", device, sources.size(), sent, transfer.id());
        transfer.complete();
    }

    /** Why a file did not go, as the user would put it (Transfer1.Error and the desktop notification show it). */
    static String reason(String device, Exception e) {
        if (e instanceof DeviceException.NotReachable) {
            return device + " is no longer connected";
        }
        if (e instanceof SocketTimeoutException) {
            // Both the 30 s to start and the 60 s without progress: the phone is away, asleep or refusing.
            return device + " did not take the file in time; is it awake, and is KDE Connect open on it?";
        }
        if (e instanceof SocketException || e instanceof EOFException) {
            return "the connection to " + device + " broke off";
        }
        return e.getMessage();
    }

    /** False when the transfer ended during the pause: cancelled, or the daemon is shutting down. */
    private static boolean pauseBeforeNextFile(Transfer transfer) {
        try {
            Thread.sleep(PAUSE_BETWEEN_FILES.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            transfer.fail("interrupted: gsbridge is stopping");
            return false;
        }
        return !transfer.isCancelled();
    }
}
