package io.github.gsbridge.lan;

import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.TlsSockets;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.Packet;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A tiny in-repo KDE Connect peer built on our own LAN layer but with none of the device layer's
 * rules: it can claim any id, present any certificate and send any packet. For fast tests of how
 * the daemon treats a peer; never instead of the real kdeconnectd.
 */
public final class RawPeer implements AutoCloseable {
    private final LanLinkProvider provider;
    private final TlsSockets tls;
    private final LanConfig config;
    private final List<Link> links = new ArrayList<>();
    private final List<Packet> received = new ArrayList<>();
    private final List<Link> closed = new ArrayList<>();

    public RawPeer(LocalCertificate certificate, String claimedId, int protocolVersion, LanConfig config)
            throws Exception {
        this(certificate, claimedId, protocolVersion, config, Set.of("kdeconnect.ping", "kdeconnect.pair"),
                Set.of("kdeconnect.ping", "kdeconnect.pair"));
    }

    /** A peer announcing these capabilities, to look like a phone with more plugins. */
    public RawPeer(LocalCertificate certificate, String claimedId, int protocolVersion, LanConfig config,
                   Set<String> incoming, Set<String> outgoing) throws Exception {
        Identity identity = Identity.of(claimedId, "RawPeer", "phone", protocolVersion, incoming, outgoing);
        this.tls = TlsSockets.create(certificate);
        this.config = config;
        provider = new LanLinkProvider(config, tls, () -> identity, this::onLink);
        provider.start();
    }

    private synchronized void onLink(Link link) {
        links.add(link);
        notifyAll();
        link.start(new Link.Handler() {
            @Override
            public void onPacket(Link from, Packet packet) {
                synchronized (RawPeer.this) {
                    received.add(packet);
                    RawPeer.this.notifyAll();
                }
            }

            @Override
            public void onClosed(Link link) {
                synchronized (RawPeer.this) {
                    closed.add(link);
                    RawPeer.this.notifyAll();
                }
            }
        });
    }

    public void announceTo(InetAddress address) {
        provider.announceTo(address);
    }

    public synchronized Link awaitLink(Duration timeout) throws InterruptedException {
        awaitCondition(() -> !links.isEmpty(), timeout, "no link");
        return links.get(links.size() - 1);
    }

    public synchronized Packet awaitPacket(Predicate<Packet> match, Duration timeout) throws InterruptedException {
        awaitCondition(() -> received.stream().anyMatch(match), timeout, "no matching packet in " + received);
        return received.stream().filter(match).findFirst().orElseThrow();
    }

    public synchronized void awaitClosed(Link link, Duration timeout) throws InterruptedException {
        awaitCondition(() -> closed.contains(link), timeout, "link still open");
    }

    public synchronized List<Packet> received() {
        return List.copyOf(received);
    }

    public void send(Link link, Packet packet) throws IOException {
        link.send(packet);
    }

    /**
     * Sends a packet whose payload the other side must fetch from us, in the background; the
     * returned thread ends when the bytes were taken or the wait timed out.
     */
    public Thread sendWithPayload(Link link, Packet packet, byte[] payload) throws IOException {
        PayloadUpload upload = PayloadUpload.open(link, tls, config.payloadPorts());
        packet.withPayload(payload.length, upload.port());
        link.send(packet);
        Thread thread = new Thread(() -> {
            try {
                upload.transfer(new java.io.ByteArrayInputStream(payload), payload.length, done -> { },
                        PayloadUpload.ACCEPT_TIMEOUT);
            } catch (IOException e) {
                // the receiver did not take it; tests assert on what the receiver did instead
            }
        }, "rawpeer-payload");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Fetches the payload a received packet announces. */
    public byte[] fetchPayload(Link link, Packet packet) throws IOException {
        try (java.io.InputStream in = PayloadDownload.open(link, tls, config.peerPayloadPorts(), packet)) {
            return in.readAllBytes();
        }
    }

    /** Sends bytes exactly as given: broken JSON, missing newlines, oversized lines. */
    public void sendRaw(Link link, byte[] bytes) throws IOException {
        link.write(bytes);
    }

    private void awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout, String failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(failure);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public void close() {
        provider.close();
        synchronized (this) {
            links.forEach(Link::close);
        }
    }
}
