package io.github.gsbridge.lan;

import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.TlsSockets;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.Packet;

import java.io.IOException;
import java.io.InputStream;
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
    private final String deviceId;
    private final TlsSockets tls;
    private final LanConfig config;
    private final List<Link> links = new ArrayList<>();
    private final List<Packet> received = new ArrayList<>();
    private final List<Link> closed = new ArrayList<>();

    public RawPeer(LocalCertificate certificate, String claimedId, int protocolVersion, LanConfig config)
            throws Exception {
        this(certificate, claimedId, protocolVersion, config, Set.of());
    }

    /** A peer that also announces {@code extraCapabilities} (both ways), so a daemon sends it those types. */
    public RawPeer(LocalCertificate certificate, String claimedId, int protocolVersion, LanConfig config,
                   Set<String> extraCapabilities) throws Exception {
        this(certificate, claimedId, protocolVersion, config, withBasics(extraCapabilities),
                withBasics(extraCapabilities));
    }

    private static Set<String> withBasics(Set<String> capabilities) {
        Set<String> all = new java.util.HashSet<>(Set.of("kdeconnect.ping", "kdeconnect.pair"));
        all.addAll(capabilities);
        return all;
    }

    /** A peer announcing these capabilities, to look like a phone with more plugins. */
    public RawPeer(LocalCertificate certificate, String claimedId, int protocolVersion, LanConfig config,
                   Set<String> incoming, Set<String> outgoing) throws Exception {
        Identity identity = Identity.of(claimedId, "RawPeer", "phone", protocolVersion, incoming, outgoing);
        this.deviceId = claimedId;
        this.tls = TlsSockets.create(certificate);
        this.config = config;
        provider = new LanLinkProvider(config, tls, () -> identity, this::onLink);
        provider.start();
    }

    private synchronized void onLink(Link link) {
        // No device layer decides here: whatever the daemon sends is read, at any size.
        link.setTrusted(true);
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

    public String deviceId() {
        return deviceId;
    }

    /** Where this peer listens for links (on every address). */
    public int tcpPort() {
        return provider.tcpPort();
    }

    public void announceTo(InetAddress address) {
        provider.announceTo(address);
    }

    /**
     * Opens a link to {@code target} ({@code tcpPort} set) at {@code address} directly, as after
     * its announcement: no UDP, so no per-address announcement rate limit between peers.
     */
    public void connectTo(InetAddress address, Identity target) {
        provider.connect(address, target);
    }

    /** Forgets closed links and received packets, so a long run keeps only what is current. */
    public synchronized void forgetHistory() {
        links.removeAll(closed);
        closed.clear();
        received.clear();
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

    /** Sends bytes exactly as given: broken JSON, missing newlines, oversized lines. */
    public void sendRaw(Link link, byte[] bytes) throws IOException {
        link.write(bytes);
    }

    /** Sends {@code packet} with {@code payload}, served in the background as a real sender does. */
    public Thread offerPayload(Link link, Packet packet, byte[] payload) throws IOException {
        return offerPayload(link, packet, new java.io.ByteArrayInputStream(payload), payload.length);
    }

    /**
     * Sends {@code packet} announcing a payload of {@code announcedSize} bytes and serves what
     * {@code source} gives, as a real sender does (our listener, we are the TLS server). A source
     * shorter than announced, or one that throws, ends the connection early: a short or cut
     * transfer. Returns the serving thread.
     */
    public Thread offerPayload(Link link, Packet packet, InputStream source, long announcedSize) throws IOException {
        return offerPayload(link, packet, source, announcedSize, announcedSize);
    }

    /** As above, but serves up to {@code servedSize} bytes whatever the packet announced: a payload too long. */
    public Thread offerPayload(Link link, Packet packet, InputStream source, long announcedSize, long servedSize)
            throws IOException {
        PayloadUpload upload = PayloadUpload.open(link, tls, config.payloadPorts());
        packet.withPayload(announcedSize, upload.port());
        link.send(packet);
        Thread serving = new Thread(() -> {
            try {
                upload.transfer(source, servedSize, done -> { }, Duration.ofSeconds(30));
            } catch (IOException e) {
                // Expected for short and cut payloads; the receiver's handling is what is tested.
            }
        }, "rawpeer-payload-" + upload.port());
        serving.setDaemon(true);
        serving.start();
        return serving;
    }

    /** Fetches the payload a daemon announced in {@code packet}, as its receiver. */
    public InputStream fetchPayload(Link link, Packet packet) throws IOException {
        return PayloadDownload.open(link, tls, config.peerPayloadPorts(), packet);
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
