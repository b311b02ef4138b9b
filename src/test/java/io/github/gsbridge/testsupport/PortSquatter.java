package io.github.gsbridge.testsupport;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Holds UDP and TCP 1716 the way GSConnect 54 does (exclusive UDP bind, no SO_REUSEADDR), and
 * with {@code --bus-name NAME} first takes GSConnect's name on the session bus, as GSConnect's
 * service does at start. It keeps retrying the bind, so a test can see how long the ports took to
 * become free. Prints {@code NAME <ms>} and {@code BOUND <ms>}, both counted from its start; exits on stdin EOF or "quit".
 */
public final class PortSquatter {
    private PortSquatter() {}

    public static void main(String[] args) throws Exception {
        List<String> options = Arrays.asList(args);
        int port = Integer.parseInt(value(options, "--port", "1716"));
        String busName = value(options, "--bus-name", null);
        long started = System.nanoTime();
        DBusConnection bus = null;
        if (busName != null) {
            bus = DBusConnectionBuilder.forSessionBus().withShared(false).build();
            bus.requestBusName(busName);
            System.out.println("NAME " + (System.nanoTime() - started) / 1_000_000);
            System.out.flush();
        }
        DatagramSocket udp = null;
        ServerSocket tcp = null;
        while (udp == null || tcp == null) {
            try {
                if (udp == null) {
                    DatagramSocket socket = new DatagramSocket(null);
                    socket.setReuseAddress(false);
                    try {
                        socket.bind(new InetSocketAddress(port));
                        udp = socket;
                    } catch (java.io.IOException e) {
                        socket.close();
                        throw e;
                    }
                }
                if (tcp == null) {
                    tcp = new ServerSocket(port);
                }
            } catch (java.io.IOException busy) {
                Thread.sleep(20);
            }
        }
        System.out.println("BOUND " + (System.nanoTime() - started) / 1_000_000);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            // wait
        }
        if (bus != null) {
            bus.releaseBusName(busName);
            bus.close();
        }
        udp.close();
        tcp.close();
    }

    private static String value(List<String> options, String name, String fallback) {
        int at = options.indexOf(name);
        return at >= 0 && at + 1 < options.size() ? options.get(at + 1) : fallback;
    }
}
