package io.github.gsbridge.testsupport;

import io.github.gsbridge.desktop.Notifications;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A tiny desktop notification server on a real bus: owns {@code org.freedesktop.Notifications},
 * answers like a real one (ids from 1, replacing keeps the id) and records every call.
 */
public final class NotificationServer implements Notifications, AutoCloseable {
    /** One call: {@code member} is Notify or CloseNotification ({@code id} is the closed one then). */
    public record Call(String member, String appName, long replacesId, String summary, String body,
                       Map<String, Variant<?>> hints, long id) { }

    private final DBusConnection connection;
    private final List<String> capabilities;
    private final List<Call> calls = new ArrayList<>();
    private long lastId;

    private NotificationServer(DBusConnection connection, List<String> capabilities) {
        this.connection = connection;
        this.capabilities = List.copyOf(capabilities);
    }

    /** Starts serving on the bus at {@code address}, announcing {@code capabilities}. */
    public static NotificationServer start(String address, List<String> capabilities) throws DBusException {
        DBusConnection connection = DBusConnectionBuilder.forAddress(address).withShared(false).build();
        NotificationServer server = new NotificationServer(connection, capabilities);
        try {
            connection.exportObject(OBJECT_PATH, server);
            connection.requestBusName(BUS_NAME);
        } catch (DBusException | RuntimeException e) {
            connection.disconnect();
            throw e;
        }
        return server;
    }

    @Override
    public synchronized UInt32 Notify(String appName, UInt32 replacesId, String appIcon, String summary, String body,
                                      List<String> actions, Map<String, Variant<?>> hints, int expireTimeout) {
        long id = replacesId.longValue() != 0 ? replacesId.longValue() : ++lastId;
        calls.add(new Call("Notify", appName, replacesId.longValue(), summary, body, Map.copyOf(hints), id));
        notifyAll();
        return new UInt32(id);
    }

    @Override
    public synchronized void CloseNotification(UInt32 id) {
        calls.add(new Call("CloseNotification", "", 0, "", "", Map.of(), id.longValue()));
        notifyAll();
    }

    @Override
    public List<String> GetCapabilities() {
        return capabilities;
    }

    @Override
    public ServerInformation<String, String, String, String> GetServerInformation() {
        return new ServerInformation<>("gsbridge-test-server", "gsbridge", "1", "1.2");
    }

    @Override
    public String getObjectPath() {
        return OBJECT_PATH;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Waits for a call matching {@code match} (earlier ones count). */
    public synchronized Call await(Predicate<Call> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Call call : calls) {
                if (match.test(call)) {
                    return call;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching call within " + timeout + "; calls: " + calls);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
