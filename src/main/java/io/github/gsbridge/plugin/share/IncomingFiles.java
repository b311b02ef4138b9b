package io.github.gsbridge.plugin.share;

import io.github.gsbridge.device.Device;
import io.github.gsbridge.threads.Threads;
import io.github.gsbridge.device.DeviceException;
import io.github.gsbridge.event.EventBus;
import io.github.gsbridge.transfer.Transfer;
import io.github.gsbridge.transfer.Transfers;
import io.github.gsbridge.wire.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving half of file shares. Packets are sorted into shares on the link's thread (so the
 * order is the device's); payloads are fetched on worker threads, one file at a time per device,
 * so a slow or hostile device can hold one worker but never the link or the other devices.
 */
final class IncomingFiles {
    private static final Logger LOG = LoggerFactory.getLogger(IncomingFiles.class);
    private static final int WORKERS = 4;
    /** Files a device may have waiting; beyond that its shares are refused, not buffered. */
    private static final int QUEUE_PER_DEVICE = 256;
    /** A share whose sender went quiet before all announced files came is given up after this. */
    private static final Duration IDLE_LIMIT = Duration.ofSeconds(60);

    private final EventBus events;
    private final Transfers transfers;
    private final DownloadDirectories downloads;
    private final ReceivedFileStore store = new ReceivedFileStore();
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    /** The share of each device that still takes files; guarded by {@code this}. */
    private final Map<String, Share> open = new HashMap<>();
    /** Per-device queues, drained one file at a time; guarded by {@code this}. */
    private final Map<String, Queue<Runnable>> queues = new HashMap<>();
    private final Set<String> draining = new HashSet<>();

    IncomingFiles(EventBus events, Transfers transfers, DownloadDirectories downloads,
                  ScheduledExecutorService timers) {
        this.events = events;
        this.transfers = transfers;
        this.downloads = downloads;
        this.timers = timers;
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Threads.numbered("share-receive"));
        ((ThreadPoolExecutor) workers).allowCoreThreadTimeOut(true);
    }

    /** The daemon stops: receiving ends (each transfer's streams close with its link). */
    void close() {
        workers.shutdownNow();
        timers.shutdownNow();
    }

    /** The files of one share from one device: one transfer, one progress. */
    private final class Share {
        final String deviceId;
        final Transfer transfer;
        final AtomicLong bytesDone = new AtomicLong();
        final Set<InputStream> payloads = ConcurrentHashMap.newKeySet();
        int expected;
        int announced;
        int finished;
        int failed;
        String firstError;
        long announcedBytes;
        long lastActivity = System.nanoTime();

        Share(String deviceId) {
            this.deviceId = deviceId;
            this.transfer = transfers.create(deviceId, Transfer.Direction.IN, 0, List.of());
            // Closing the sockets is what stops a download that is blocked in a read.
            transfer.onCancel(() -> payloads.forEach(IncomingFiles::closeQuietly));
        }

        void progress(long bytes) {
            transfer.progress(bytesDone.addAndGet(bytes));
        }
    }

    /** A file packet ({@code filename}); the download is queued, never run here. */
    void receive(Device device, Packet packet) {
        // Every field is read before anything changes, so that a mistyped one refuses the packet whole.
        String name = packet.requireText("filename");
        String safeName = SafeFileName.of(name);
        Totals totals = Totals.of(packet);
        OptionalLong lastModified = packet.wholeNumber("lastModified");
        Share share;
        synchronized (this) {
            share = open.get(device.id());
            if (share != null && share.failed > 0 && share.finished >= share.announced) {
                // kdeconnect abandons a share at its first failed file; this packet starts a new one.
                giveUp(share, "device stopped sending after a failed file");
            }
            if (share == null || share.announced >= share.expected || share.transfer.isFinished()) {
                share = new Share(device.id());
                open.put(device.id(), share);
            }
            share.announced++;
            share.lastActivity = System.nanoTime();
            share.announcedBytes += Math.max(0, packet.payloadSize());
            applyTotals(share, totals);
        }
        if (!safeName.equals(name)) {
            LOG.info("{}: {} named '{}' is saved as '{}'", device, SharePlugin.REQUEST, name, safeName);
        }
        Share target = share;
        enqueue(device, () -> download(device, packet, target, safeName, lastModified), target, safeName);
    }

    /** {@code kdeconnect.share.request.update}: the running share of this device grew. */
    void update(Device device, Packet packet) {
        Totals totals = Totals.of(packet);
        synchronized (this) {
            Share share = open.get(device.id());
            if (share == null) {
                LOG.debug("{}: {} without a running share ignored", device, SharePlugin.UPDATE);
                return;
            }
            share.lastActivity = System.nanoTime();
            applyTotals(share, totals);
        }
    }

    /** The device left: a share still waiting for files will not get them. */
    void disconnected(Device device) {
        synchronized (this) {
            Share share = open.get(device.id());
            if (share != null && share.announced < share.expected) {
                giveUp(share, "device disconnected after announcing " + share.announced + " of "
                        + share.expected + " files");
            }
        }
    }

    /** What a share's packets say of the whole share; 0 where they say nothing. */
    private record Totals(long files, long bytes) {
        static Totals of(Packet packet) {
            return new Totals(packet.wholeNumber("numberOfFiles").orElse(0),
                    packet.wholeNumber("totalPayloadSize").orElse(0));
        }
    }

    private static void applyTotals(Share share, Totals totals) {
        share.expected = (int) Math.min(Integer.MAX_VALUE,
                Math.max(Math.max(share.expected, share.announced), totals.files()));
        long known = Math.max(totals.bytes(), share.announcedBytes);
        if (known != share.transfer.bytesTotal()) {
            share.transfer.updateTotal(known);
        }
    }

    private void enqueue(Device device, Runnable job, Share share, String safeName) {
        synchronized (this) {
            Queue<Runnable> queue = queues.computeIfAbsent(device.id(), id -> new ArrayDeque<>());
            if (queue.size() < QUEUE_PER_DEVICE) {
                queue.add(job);
                if (draining.add(device.id())) {
                    try {
                        workers.execute(() -> drain(device.id()));
                    } catch (RejectedExecutionException e) {
                        draining.remove(device.id());
                        queue.remove(job);
                        reject(device, share, safeName, "no worker available");
                    }
                }
                return;
            }
        }
        reject(device, share, safeName, "more than " + QUEUE_PER_DEVICE + " files waiting");
    }

    private void reject(Device device, Share share, String safeName, String reason) {
        LOG.warn("{}: {} '{}' refused: {}", device, SharePlugin.REQUEST, safeName, reason);
        fileFinished(share, reason);
    }

    private void drain(String deviceId) {
        while (true) {
            Runnable job;
            synchronized (this) {
                Queue<Runnable> queue = queues.get(deviceId);
                job = queue == null ? null : queue.poll();
                if (job == null) {
                    draining.remove(deviceId);
                    queues.remove(deviceId);
                    return;
                }
            }
            job.run();
        }
    }

    private void download(Device device, Packet packet, Share share, String safeName, OptionalLong modified) {
        if (share.transfer.isCancelled()) {
            LOG.info("{}: '{}' not fetched: transfer {} was cancelled", device, safeName, share.transfer.id());
            fileFinished(share, null);
            return;
        }
        share.transfer.start();
        long size = packet.payloadSize();
        OptionalLong lastModified = modified.isPresent() && modified.getAsLong() > 0 ? modified : OptionalLong.empty();
        AtomicLong fileBytes = new AtomicLong();
        try {
            if (!downloads.receivesFilesFrom(device.id())) {
                throw new IOException("receiving files from " + device.name() + " is switched off"
                        + " (GSConnect's receive-files setting for this device)");
            }
            Path folder = downloads.directoryFor(device.id());
            Path path;
            if (size == 0 && !packet.hasPayload()) {
                // kdeconnect sends an empty file as a share without payload; GSConnect offers 0 bytes.
                path = store.write(folder, safeName, InputStream.nullInputStream(), 0, lastModified, n -> { });
            } else {
                InputStream in = device.openPayload(packet);
                share.payloads.add(in);
                try {
                    if (share.transfer.isCancelled()) {
                        throw new IOException("cancelled");
                    }
                    path = store.write(folder, safeName, in, size, lastModified, n -> {
                        fileBytes.addAndGet(n);
                        share.progress(n);
                    });
                } finally {
                    share.payloads.remove(in);
                    closeQuietly(in);
                }
            }
            LOG.info("{}: received '{}' ({} bytes) as {}", device, safeName, size, path);
            share.transfer.addFile(path.toString());
            events.publish(new SharePlugin.FileReceived(device.id(), share.transfer.id(), path.toString()));
            fileFinished(share, null);
        } catch (IOException | DeviceException | RuntimeException e) {
            share.progress(-fileBytes.get());
            if (share.transfer.isCancelled()) {
                LOG.info("{}: {} '{}' cancelled after {} of {} bytes; nothing kept", device, SharePlugin.REQUEST,
                        safeName, fileBytes.get(), size);
                fileFinished(share, null);
            } else {
                String reason = safeName + ": " + e.getMessage();
                LOG.warn("{}: {} '{}' failed after {} of {} bytes, nothing kept: {}", device, SharePlugin.REQUEST,
                        safeName, fileBytes.get(), size, e.getMessage(), e instanceof RuntimeException ? e : null);
                fileFinished(share, reason);
            }
        }
    }

    private synchronized void fileFinished(Share share, String error) {
        share.finished++;
        share.lastActivity = System.nanoTime();
        if (error != null && share.failed++ == 0) {
            share.firstError = error;
        }
        if (share.finished >= share.expected) {
            finish(share);
        } else if (share.finished >= share.announced) {
            int seen = share.announced;
            timers.schedule(() -> giveUpIfIdle(share, seen), IDLE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void giveUpIfIdle(Share share, int seen) {
        if (share.announced == seen && share.finished >= share.announced && !share.transfer.isFinished()
                && System.nanoTime() - share.lastActivity >= IDLE_LIMIT.toNanos()) {
            giveUp(share, "device sent " + share.announced + " of " + share.expected + " announced files");
        }
    }

    /** No more files will come: what was announced is all the share has. */
    private void giveUp(Share share, String reason) {
        LOG.warn("{}: share (transfer {}) ends early: {}", share.deviceId, share.transfer.id(), reason);
        share.expected = share.announced;
        if (share.failed++ == 0) {
            share.firstError = reason;
        }
        if (share.finished >= share.expected) {
            finish(share);
        }
    }

    private void finish(Share share) {
        open.remove(share.deviceId, share);
        if (share.failed == 0) {
            share.transfer.complete();
        } else {
            share.transfer.fail(share.failed == 1 ? share.firstError
                    : share.failed + " problems; first: " + share.firstError);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            LOG.debug("closing a payload failed: {}", e.getMessage());
        }
    }
}
