package io.github.gsbridge.lan.mdns;

import io.github.gsbridge.wire.Identity;

import java.net.InetAddress;

/**
 * DNS-SD over multicast DNS, as KDE Connect 24.02+, its Android app and Valent use it: we publish
 * {@code _kdeconnect._udp} (instance name = our device id; TXT {@code id}, {@code name},
 * {@code type}, {@code protocol}) and report the peers that publish it. It reaches where UDP
 * broadcast does not (routers and guest networks that drop broadcast but pass mDNS).
 */
public interface Mdns extends AutoCloseable {
    /** The DNS-SD service type of KDE Connect. */
    String SERVICE_TYPE = "_kdeconnect._udp";

    /** What browsing finds; called on the mDNS thread. */
    interface Listener {
        /** A peer publishes KDE Connect at {@code address}, discovery port {@code port}. */
        void found(String deviceId, String name, InetAddress address, int port);

        /** The peer withdrew its service (it stopped, or left the network). */
        void lost(String deviceId);
    }

    /** Publishes us (again, after a rename) with {@code udpPort} as the service's port. */
    void publish(Identity identity, int udpPort);

    /** Stops publishing us (the ports went back to GSConnect). */
    void withdraw();

    @Override
    void close();

    /** No mDNS: nothing is published or found. */
    static Mdns none() {
        return new Mdns() {
            @Override
            public void publish(Identity identity, int udpPort) {
            }

            @Override
            public void withdraw() {
            }

            @Override
            public void close() {
            }
        };
    }
}
