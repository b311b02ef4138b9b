package io.github.gsbridge.plugin.runcommand;

import java.io.IOException;
import java.util.Map;

/**
 * The commands each paired device may run on this computer, one list per device, keyed by an id
 * that the device sends back to run one. Every read goes to the store, so an edit made elsewhere
 * (GSConnect's preferences, the file) holds from the next request on.
 */
interface CommandStore {
    /** The device's list, in the order it was written; empty when it has none. */
    Map<String, Command> list(String deviceId) throws IOException;

    /** Adds {@code command} under {@code key}, or replaces the command of that key. */
    void put(String deviceId, String key, Command command) throws IOException;

    /** Removes {@code key}; false when the device's list has no such key. */
    boolean remove(String deviceId, String key) throws IOException;

    /** Where the lists are kept, for the log and for messages. */
    String describe();
}
