package io.github.gsbridge.daemon;

import io.github.gsbridge.credentials.DconfWatch;
import io.github.gsbridge.credentials.GsconnectDconf;
import io.github.gsbridge.credentials.GsconnectPairingStore;
import io.github.gsbridge.credentials.IdentitySource;
import io.github.gsbridge.threads.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a GSConnect-mode daemon in step with GSConnect's dconf tree while it runs: a device
 * unpaired there is dropped, one paired there becomes trusted, a new {@code name} is announced,
 * and the changed keys are published ({@link GsconnectDconf.KeysChanged}) for plugins' settings.
 */
final class GsconnectSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GsconnectSync.class);
    /** One GSConnect action writes several keys; react once they have settled. */
    private static final long SETTLE_MS = 150;

    private final Daemon daemon;
    private final DconfWatch watch;
    private final ScheduledExecutorService executor;
    private ScheduledFuture<?> pending;
    private boolean nameChanged;
    private final Set<String> changedKeys = new HashSet<>();

    private GsconnectSync(Daemon daemon, DconfWatch watch, ScheduledExecutorService executor) {
        this.daemon = daemon;
        this.watch = watch;
        this.executor = executor;
    }

    /** Starts following dconf when the daemon uses GSConnect's identity and dconf can be watched. */
    static Optional<GsconnectSync> start(Daemon daemon) {
        if (daemon.localIdentity().source() != IdentitySource.GSCONNECT) {
            return Optional.empty();
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(Threads.daemon("gsconnect-sync"));
        GsconnectSync[] self = new GsconnectSync[1];
        try {
            DconfWatch watch = DconfWatch.start(daemon.options().dconfExecutable(), Map.of(), GsconnectDconf.PATH,
                    key -> executor.execute(() -> self[0].changed(key)));
            self[0] = new GsconnectSync(daemon, watch, executor);
            return Optional.of(self[0]);
        } catch (IOException e) {
            LOG.warn("cannot watch GSConnect's settings ({}); changes apply at the next start", e.getMessage());
            executor.shutdown();
            return Optional.empty();
        }
    }

    private void changed(String key) {
        nameChanged |= key.equals(GsconnectDconf.PATH + "name");
        changedKeys.add(key);
        if (pending != null) {
            pending.cancel(false);
        }
        pending = executor.schedule(this::apply, SETTLE_MS, TimeUnit.MILLISECONDS);
    }

    private void apply() {
        daemon.reloadPairings();
        if (nameChanged && daemon.options().name().isEmpty()
                && daemon.localIdentity().pairings() instanceof GsconnectPairingStore store) {
            nameChanged = false;
            try {
                store.settings().name().ifPresent(daemon::rename);
            } catch (IOException e) {
                LOG.warn("cannot read GSConnect's new name: {}", e.getMessage());
            }
        }
        GsconnectDconf.KeysChanged changed = new GsconnectDconf.KeysChanged(changedKeys);
        changedKeys.clear();
        daemon.events().publish(changed);
    }

    @Override
    public void close() {
        watch.close();
        executor.shutdownNow();
    }
}
