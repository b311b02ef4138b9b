package io.github.gsbridge.daemon;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gsbridge.credentials.PrivateJsonFile;
import io.github.gsbridge.lan.PeerAddress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Addresses the user asked gsbridge to keep dialling ({@code gsbridge connect}), like
 * kdeconnect's "customDevices": devices that broadcast and mDNS cannot reach (a VPN, another
 * subnet). One JSON list of {@code HOST[:PORT]} strings in gsbridge's own config folder, never
 * in GSConnect's dconf tree, so GSConnect is not surprised by it.
 */
public final class RememberedAddresses {
    static final String FILE_NAME = "addresses.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public RememberedAddresses(Path configDir) {
        this.file = configDir.resolve(FILE_NAME);
    }

    /** The remembered addresses in the order they were added; an entry that no longer parses is an error. */
    public synchronized List<PeerAddress> load() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> entries;
        try {
            entries = JSON.readValue(file.toFile(), new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new IOException(file + ": unreadable list of addresses: " + e.getMessage(), e);
        }
        Set<PeerAddress> addresses = new LinkedHashSet<>();
        for (String entry : entries) {
            try {
                addresses.add(PeerAddress.parse(String.valueOf(entry)));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(addresses);
    }

    /** Adds {@code address}; false when it was already there. */
    public synchronized boolean add(PeerAddress address) throws IOException {
        List<PeerAddress> addresses = new ArrayList<>(load());
        if (addresses.contains(address)) {
            return false;
        }
        addresses.add(address);
        write(addresses);
        return true;
    }

    /** Removes {@code address}; false when it was not there. */
    public synchronized boolean remove(PeerAddress address) throws IOException {
        List<PeerAddress> addresses = new ArrayList<>(load());
        if (!addresses.remove(address)) {
            return false;
        }
        write(addresses);
        return true;
    }

    private void write(List<PeerAddress> addresses) throws IOException {
        PrivateJsonFile.write(file, addresses.stream().map(PeerAddress::toString).toList());
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
