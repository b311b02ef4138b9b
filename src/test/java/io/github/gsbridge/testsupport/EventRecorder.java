package io.github.gsbridge.testsupport;

import io.github.gsbridge.event.Event;
import io.github.gsbridge.event.EventBus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Records a daemon's events so a test can wait for one. */
public final class EventRecorder {
    private final List<Event> events = new ArrayList<>();

    public EventRecorder(EventBus bus) {
        bus.subscribe(this::record);
    }

    private synchronized void record(Event event) {
        events.add(event);
        notifyAll();
    }

    /** Waits for an event of that type matching the predicate (already recorded ones count). */
    public synchronized <T extends Event> T await(Class<T> type, Predicate<T> match, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Event event : events) {
                if (type.isInstance(event) && match.test(type.cast(event))) {
                    return type.cast(event);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + type.getSimpleName() + " within " + timeout + "; events: " + events);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    public synchronized <T extends Event> List<T> all(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public synchronized void clear() {
        events.clear();
    }
}
