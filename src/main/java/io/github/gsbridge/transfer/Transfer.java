package io.github.gsbridge.transfer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One file transfer job, in or out, possibly of several files: what the D-Bus API and the CLI
 * show as progress. Plugins drive its state; anyone may cancel it.
 */
public final class Transfer {
    public enum Direction { IN, OUT }

    public enum State { QUEUED, ACTIVE, COMPLETED, FAILED, CANCELLED }

    /** Progress events are published at most this often (bytes still count exactly). */
    private static final long PROGRESS_INTERVAL_NANOS = 250_000_000L;

    private final long id;
    private final String deviceId;
    private final Direction direction;
    private final Transfers owner;
    private final List<String> files = new CopyOnWriteArrayList<>();
    private final List<Runnable> cancelHandlers = new CopyOnWriteArrayList<>();
    private volatile State state = State.QUEUED;
    private volatile long bytesTotal;
    private volatile long bytesDone;
    private volatile String error;
    private long lastProgressEvent;

    Transfer(long id, String deviceId, Direction direction, long bytesTotal, List<String> files, Transfers owner) {
        this.id = id;
        this.deviceId = deviceId;
        this.direction = direction;
        this.bytesTotal = bytesTotal;
        this.files.addAll(files);
        this.owner = owner;
    }

    public long id() {
        return id;
    }

    public String deviceId() {
        return deviceId;
    }

    public Direction direction() {
        return direction;
    }

    public State state() {
        return state;
    }

    public long bytesTotal() {
        return bytesTotal;
    }

    public long bytesDone() {
        return bytesDone;
    }

    /** File names (incoming: final paths once written; outgoing: the source paths). */
    public List<String> files() {
        return List.copyOf(files);
    }

    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    public boolean isFinished() {
        State current = state;
        return current == State.COMPLETED || current == State.FAILED || current == State.CANCELLED;
    }

    public boolean isCancelled() {
        return state == State.CANCELLED;
    }

    /** Stops the transfer; the plugin running it notices through {@link #onCancel} or {@link #isCancelled}. */
    public void cancel() {
        if (finish(State.CANCELLED, null)) {
            cancelHandlers.forEach(Runnable::run);
        }
    }

    /** Runs when the transfer is cancelled, e.g. to close the payload socket. */
    public void onCancel(Runnable handler) {
        cancelHandlers.add(handler);
        if (isCancelled()) {
            handler.run();
        }
    }

    public void start() {
        synchronized (this) {
            if (state != State.QUEUED) {
                return;
            }
            state = State.ACTIVE;
        }
        owner.changed(this);
    }

    public void progress(long done) {
        bytesDone = done;
        long now = System.nanoTime();
        boolean publish;
        synchronized (this) {
            publish = now - lastProgressEvent >= PROGRESS_INTERVAL_NANOS;
            if (publish) {
                lastProgressEvent = now;
            }
        }
        if (publish) {
            owner.changed(this);
        }
    }

    public void updateTotal(long total) {
        bytesTotal = total;
        owner.changed(this);
    }

    public void addFile(String file) {
        files.add(file);
        owner.changed(this);
    }

    public void complete() {
        finish(State.COMPLETED, null);
    }

    public void fail(String reason) {
        finish(State.FAILED, reason);
    }

    private boolean finish(State end, String reason) {
        synchronized (this) {
            if (isFinished()) {
                return false;
            }
            state = end;
            error = reason;
        }
        owner.changed(this);
        return true;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>(files);
        return "transfer " + id + " (" + direction.name().toLowerCase() + ", " + deviceId + ", " + names + ")";
    }
}
