package io.github.gsbridge.lan;

import io.github.gsbridge.testsupport.LoopbackNode;
import io.github.gsbridge.testsupport.Ports;
import io.github.gsbridge.testsupport.Stall;
import io.github.gsbridge.tls.LocalCertificate;
import io.github.gsbridge.tls.TlsSockets;
import io.github.gsbridge.wire.Identity;
import io.github.gsbridge.wire.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.gsbridge.testsupport.LoopbackNode.LOOPBACK;
import static io.github.gsbridge.testsupport.LoopbackNode.WAIT;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that stops reading must not hold anything of ours for good: closing a link returns at
 * once, and a packet or an upload it no longer takes from fails after the stall limit.
 */
class StalledPeerTest {
    private static final String SENDER_ID = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String STALLED_ID = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private LanLinkProvider sender;
    private LanLinkProvider stalled;
    private Link stalledEnd;

    @AfterEach
    void stop() {
        if (stalledEnd != null) {
            stalledEnd.close();
        }
        if (sender != null) {
            sender.close();
        }
        if (stalled != null) {
            stalled.close();
        }
    }

    private TlsSockets senderTls;
    private TlsSockets stalledTls;
    private PortRange senderPorts;
    private Link link;

    @BeforeEach
    void linkToAPeerThatNeverReads() throws Exception {
        senderPorts = Ports.freeRange(4);
        PortRange stalledPorts = Ports.freeRange(4);
        BlockingQueue<Link> senderLinks = new LinkedBlockingQueue<>();
        // The stalled side never starts its links' readers: once the socket buffers are full,
        // every write to it blocks.
        BlockingQueue<Link> stalledLinks = new LinkedBlockingQueue<>();
        senderTls = TlsSockets.create(LocalCertificate.generate(SENDER_ID));
        stalledTls = TlsSockets.create(LocalCertificate.generate(STALLED_ID));
        sender = provider(SENDER_ID, senderTls, senderPorts, stalledPorts, senderLinks);
        stalled = provider(STALLED_ID, stalledTls, stalledPorts, senderPorts, stalledLinks);
        sender.announceTo(LOOPBACK);
        link = senderLinks.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(link, "no link");
        stalledEnd = stalledLinks.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(stalledEnd, "no link at the peer");
    }

    @Test
    void closeReturnsWhileAWriteIsBlockedOnAPeerThatStoppedReading() throws Exception {
        AtomicLong sent = new AtomicLong();
        AtomicReference<Throwable> senderEnded = new AtomicReference<>();
        Thread writer = sendUntilFailure(sent, senderEnded);
        Stall.await(sent::get, WAIT, "the writer");

        assertTimeoutPreemptively(Duration.ofSeconds(5), link::close, "close waited on the blocked write");
        writer.join(Duration.ofSeconds(5).toMillis());
        assertFalse(writer.isAlive(), "the blocked write was not released");
        assertInstanceOf(IOException.class, senderEnded.get(), "the blocked write ends with an I/O error");
    }

    @Test
    void aPacketThePeerStopsTakingFailsAfterTheStallLimitAndClosesTheLink() throws Exception {
        link.setWriteStallLimit(Duration.ofSeconds(1));
        AtomicLong sent = new AtomicLong();
        AtomicReference<Throwable> senderEnded = new AtomicReference<>();
        Thread writer = sendUntilFailure(sent, senderEnded);
        writer.join(WAIT.toMillis());
        assertFalse(writer.isAlive(), "the write is still blocked after " + sent.get() + " packets");
        assertInstanceOf(SocketTimeoutException.class, senderEnded.get(), String.valueOf(senderEnded.get()));
        assertTrue(senderEnded.get().getMessage().contains(STALLED_ID + " took no bytes for 1 s"),
                senderEnded.get().getMessage());
        assertFalse(link.isOpen(), "the link is given up");
    }

    @Test
    void anUploadTheReceiverStopsTakingFailsAfterTheStallLimit() throws Exception {
        long size = 256L * 1024 * 1024;
        PortRange payloadPorts = new PortRange(senderPorts.first() + 2, senderPorts.last());
        PayloadUpload upload = PayloadUpload.open(link, senderTls, payloadPorts);
        Packet offer = new Packet("kdeconnect.share.request").withPayload(size, upload.port());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong sent = new AtomicLong();
        Thread uploader = new Thread(() -> {
            try {
                upload.transfer(new ZeroStream(), size, sent::set, WAIT, Duration.ofSeconds(1));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "stalled-upload");
        uploader.start();
        // Connects and takes nothing: the download stream is never read.
        InputStream neverRead = PayloadDownload.open(stalledEnd, stalledTls, payloadPorts, offer);
        try {
            uploader.join(WAIT.toMillis());
            assertFalse(uploader.isAlive(), "the upload is still waiting after " + sent.get() + " bytes");
        } finally {
            neverRead.close();
        }
        assertInstanceOf(SocketTimeoutException.class, failure.get(), String.valueOf(failure.get()));
        assertTrue(failure.get().getMessage().contains(STALLED_ID + " took no payload bytes for 1 s"),
                failure.get().getMessage());
        assertTrue(sent.get() < size, "nothing like the whole payload went out: " + sent.get());
    }

    /** Sends 64 KiB packets on the link until a send fails; {@code sent} counts them, {@code ended} gets the failure. */
    private Thread sendUntilFailure(AtomicLong sent, AtomicReference<Throwable> ended) {
        Packet big = new Packet("kdeconnect.ping");
        big.body().put("message", "x".repeat(64 * 1024));
        Thread writer = new Thread(() -> {
            try {
                while (true) {
                    link.send(big);
                    sent.incrementAndGet();
                }
            } catch (Throwable e) {
                ended.set(e);
            }
        }, "blocked-writer");
        writer.setDaemon(true);
        writer.start();
        return writer;
    }

    /** Endless zero bytes, without holding them in memory. */
    private static final class ZeroStream extends InputStream {
        @Override
        public int read() {
            return 0;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            Arrays.fill(buffer, offset, offset + length, (byte) 0);
            return length;
        }
    }

    private static LanLinkProvider provider(String id, TlsSockets tls, PortRange ports, PortRange peerPorts,
                                            BlockingQueue<Link> links) throws Exception {
        Identity identity = Identity.of(id, id.substring(0, 4), "phone", 8, Set.of("kdeconnect.ping"),
                Set.of("kdeconnect.ping"));
        LanLinkProvider provider = new LanLinkProvider(LoopbackNode.lanConfig(ports, peerPorts.first()), tls,
                () -> identity, links::add);
        provider.start();
        return provider;
    }
}
