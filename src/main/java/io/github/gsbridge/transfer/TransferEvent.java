package io.github.gsbridge.transfer;

import io.github.gsbridge.event.Event;

/** A transfer appeared, changed state or progress, or was forgotten. */
public sealed interface TransferEvent extends Event {
    Transfer transfer();

    record Added(Transfer transfer) implements TransferEvent { }

    record Changed(Transfer transfer) implements TransferEvent { }

    record Removed(Transfer transfer) implements TransferEvent { }
}
