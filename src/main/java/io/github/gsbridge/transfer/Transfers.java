package io.github.gsbridge.transfer;

import io.github.gsbridge.event.EventBus;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** Every transfer of this run; finished ones are kept (bounded) so callers can read the outcome. */
public final class Transfers {
    private static final int MAX_FINISHED_KEPT = 100;

    private final EventBus events;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Transfer> transfers = new ConcurrentSkipListMap<>();

    public Transfers(EventBus events) {
        this.events = events;
    }

    public Transfer create(String deviceId, Transfer.Direction direction, long bytesTotal, List<String> files) {
        Transfer transfer = new Transfer(ids.incrementAndGet(), deviceId, direction, bytesTotal, files, this);
        transfers.put(transfer.id(), transfer);
        events.publish(new TransferEvent.Added(transfer));
        forgetOldFinished();
        return transfer;
    }

    public Collection<Transfer> all() {
        return List.copyOf(transfers.values());
    }

    public Optional<Transfer> get(long id) {
        return Optional.ofNullable(transfers.get(id));
    }

    void changed(Transfer transfer) {
        events.publish(new TransferEvent.Changed(transfer));
    }

    private void forgetOldFinished() {
        List<Transfer> finished = transfers.values().stream().filter(Transfer::isFinished).toList();
        for (int i = 0; i < finished.size() - MAX_FINISHED_KEPT; i++) {
            if (transfers.remove(finished.get(i).id()) != null) {
                events.publish(new TransferEvent.Removed(finished.get(i)));
            }
        }
    }
}
