package io.github.gsbridge.hostile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/** A TCP port whose accept queue is full: connections to it neither succeed nor fail until they time out. */
final class Tarpit implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 1);
    private final List<Socket> fillers = new ArrayList<>();

    Tarpit() throws IOException {
        while (true) {
            Socket filler = new Socket();
            fillers.add(filler);
            try {
                filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 500);
            } catch (SocketTimeoutException e) {
                return;
            }
        }
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        for (Socket filler : fillers) {
            filler.close();
        }
        server.close();
    }
}

