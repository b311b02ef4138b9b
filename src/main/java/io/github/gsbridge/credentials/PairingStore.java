package io.github.gsbridge.credentials;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/** Where pairings live: GSConnect's dconf tree, or gsbridge's own file. */
public interface PairingStore {
    /** The paired devices by id, read fresh from the backing storage. */
    Map<String, PairedDevice> load() throws IOException;

    void save(PairedDevice device) throws IOException;

    void remove(String deviceId) throws IOException;

    /**
     * Records how a paired device was last seen (name, type, last connection and, where the store
     * keeps them, capabilities) without touching its trust: a device no longer stored stays
     * unpaired, whatever this connection says.
     */
    void recordConnection(PairedDevice seen, Set<String> incoming, Set<String> outgoing) throws IOException;

    /** Where the pairings are kept, for log lines. */
    String describe();
}
