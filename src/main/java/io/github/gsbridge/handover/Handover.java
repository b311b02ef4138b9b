package io.github.gsbridge.handover;

import io.github.gsbridge.threads.Threads;
import io.github.gsbridge.tls.CredentialsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Decides when gsbridge holds the KDE Connect ports: never while GSConnect runs (unless forced),
 * never while another program holds them (retrying with backoff), and otherwise as soon as
 * they are free. All decisions run on one thread.
 */
public final class Handover implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Handover.class);
    /** GSConnect needs a moment to close its sockets after leaving the bus; start retrying fast. */
    private static final long FIRST_RETRY_MS = 100;
    private static final long MAX_RETRY_MS = 30_000;

    private final PortUser user;
    private final boolean force;
    private final PortHolders ports;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(Threads.daemon("handover"));
    private Optional<GsconnectPresence> gsconnect = Optional.empty();
    private ScheduledFuture<?> retry;
    private long retryDelayMs = FIRST_RETRY_MS;
    private boolean released;

    /** @param force keep the ports even when GSConnect runs (it then cannot bind them) */
    public Handover(PortUser user, boolean force) {
        this(user, force, PortHolders.system());
    }

    Handover(PortUser user, boolean force, PortHolders ports) {
        this.user = user;
        this.force = force;
        this.ports = ports;
    }

    /** Starts watching GSConnect and takes the ports if nothing holds them. */
    public void start() {
        executor.execute(() -> {
            gsconnect = GsconnectPresence.watch(present -> executor.execute(() -> gsconnectChanged(present)));
            attempt();
        });
    }

    /** The user gives the ports back (to start GSConnect); we wait until asked or until GSConnect comes and goes. */
    public void release() {
        runAndWait(() -> {
            released = true;
            cancelRetry();
            user.giveBack("released on request; `gsbridge takeover` takes the ports again");
        });
    }

    /** The user wants the ports now (GSConnect was switched off). */
    public void takeOver() {
        runAndWait(() -> {
            released = false;
            retryDelayMs = FIRST_RETRY_MS;
            attempt();
        });
    }

    private void gsconnectChanged(boolean present) {
        if (present) {
            released = false;
            if (force) {
                LOG.warn("GSConnect started, but gsbridge was started with --force and keeps the ports");
                return;
            }
            cancelRetry();
            yieldToGsconnect();
        } else {
            LOG.info("GSConnect left the session bus; taking the ports when they are free");
            released = false;
            retryDelayMs = FIRST_RETRY_MS;
            attempt();
        }
    }

    private void attempt() {
        cancelRetry();
        if (released) {
            return;
        }
        if (!force && gsconnect.map(GsconnectPresence::present).orElse(false)) {
            yieldToGsconnect();
            return;
        }
        List<PortHolders.Holder> holders = ports.find(user.udpPort(), user.tcpPort());
        if (!holders.isEmpty()) {
            String reason = holders.stream().map(PortHolders.Holder::describe).distinct()
                    .collect(Collectors.joining("; "));
            waitAndRetry(reason);
            return;
        }
        try {
            user.take();
            retryDelayMs = FIRST_RETRY_MS;
        } catch (IOException | CredentialsException e) {
            waitAndRetry(e.getMessage());
        }
    }

    private void yieldToGsconnect() {
        String reason = "GSConnect is running (" + GsconnectPresence.BUS_NAME + " is on the session bus)";
        if (!reason.equals(user.reason())) {
            LOG.info("waiting for the KDE Connect ports: {}", reason);
        }
        user.giveBack(reason);
    }

    private void waitAndRetry(String reason) {
        if (!reason.equals(user.reason())) {
            LOG.warn("waiting for the KDE Connect ports: {}", reason);
        }
        user.waiting(reason);
        retry = executor.schedule(this::attempt, retryDelayMs, TimeUnit.MILLISECONDS);
        retryDelayMs = Math.min(MAX_RETRY_MS, retryDelayMs * 2);
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void runAndWait(Runnable action) {
        try {
            executor.submit(action).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("hand-over did not answer within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        gsconnect.ifPresent(GsconnectPresence::close);
    }
}
