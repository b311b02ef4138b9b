package io.github.gsbridge.plugin.runcommand;

import io.github.gsbridge.event.EventBus;

import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The commands each paired device may run on this computer, one list per device, keyed by an id
 * that the device sends back to run one. Every read goes to the store; the plugin keeps what it
 * read and {@link #follow follows} edits made elsewhere (GSConnect's preferences, the file).
 */
interface CommandStore {
    /** The device's list, in the order it was written; empty when it has none. */
    Map<String, Command> list(String deviceId) throws IOException;

    /** Adds {@code command} under {@code key}, or replaces the command of that key. */
    void put(String deviceId, String key, Command command) throws IOException;

    /** Removes {@code key}; false when the device's list has no such key. */
    boolean remove(String deviceId, String key) throws IOException;

    /**
     * Calls {@code changed} with a test of device ids whenever the lists of those devices may have
     * been changed, by gsbridge or elsewhere, until the returned handle is closed.
     */
    AutoCloseable follow(EventBus events, Consumer<Predicate<String>> changed) throws IOException;

    /** Where the lists are kept, for the log and for messages. */
    String describe();
}
