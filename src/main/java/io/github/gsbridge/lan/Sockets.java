package io.github.gsbridge.lan;

import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Socket set-up shared by the link and payload code. */
final class Sockets {
    private static final Logger LOG = LoggerFactory.getLogger(Sockets.class);

    private Sockets() {}

    /**
     * Links carry no application keepalive; dead peers are found by TCP keepalive, with the
     * 10 s idle / 5 s interval / 3 probes that GSConnect and older kdeconnect-kde use. Keepalive
     * does not probe while data is unacknowledged: {@link Link} watches that case itself.
     */
    static void configureLink(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
        try {
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 10);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 5);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
        } catch (UnsupportedOperationException e) {
            LOG.debug("TCP keepalive tuning not supported here; using the system defaults");
        }
    }

    /** Binds the first free port of the range, or fails naming the whole range. */
    static ServerSocket bindFirstFree(PortRange range, int backlog) throws IOException {
        IOException last = null;
        for (int port = range.first(); port <= range.last(); port++) {
            ServerSocket server = new ServerSocket();
            try {
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress((InetAddress) null, port), backlog);
                return server;
            } catch (IOException e) {
                server.close();
                last = e;
            }
        }
        throw new IOException("no free TCP port in " + range + (last == null ? "" : ": " + last.getMessage()), last);
    }

    /**
     * Ends a TLS connection without waiting on the peer. The TCP socket goes first: that releases
     * a thread blocked writing to a peer that stopped reading, where closing TLS first would queue
     * its close_notify behind that write for good.
     */
    static void abort(Socket tcp, SSLSocket tls) {
        closeQuietly(tcp);
        closeQuietly(tls);
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.trace("close failed", e);
        }
    }
}
