package io.github.gsbridge.plugin.notification;

import io.github.gsbridge.wire.Packet;
import io.github.gsbridge.wire.PacketFieldException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Building our {@code kdeconnect.notification} packets and reading the device's. */
public final class NotificationPackets {
    public static final String NOTIFICATION = "kdeconnect.notification";
    public static final String REQUEST = "kdeconnect.notification.request";
    public static final String ACTION = "kdeconnect.notification.action";
    public static final String REPLY = "kdeconnect.notification.reply";

    /**
     * Bounds on what a device's notification may hold, in UTF-16 units. A phone shows far less
     * than this; without bounds a paired device could fill the heap with a few hundred
     * notifications of megabytes each. Longer text is cut; identifiers, which must stay exact to
     * be answered, refuse the packet instead.
     */
    static final int MAX_ID = 1024;
    static final int MAX_APP_NAME = 256;
    static final int MAX_TITLE = 1024;
    static final int MAX_TEXT = 8192;
    static final int MAX_ACTIONS = 16;
    static final int MAX_ACTION = 256;
    /** An MD5 in hex has 32; anything much longer is no hash of ours to find. */
    private static final int MAX_HASH = 128;
    private static final String CUT = "…";

    private NotificationPackets() {}

    /** A field that is present but cannot be used; the message says which and why. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    /** What a device's notification packet says: a notification, or the removal of one. */
    sealed interface Received permits Posted, Cancelled { }

    /** {@code silent}: the device already showed it before we asked (a reply to our request). */
    record Posted(DeviceNotification notification, boolean silent, Optional<String> payloadHash) implements Received { }

    record Cancelled(String id) implements Received { }

    /** Title and text joined the way Android and kdeconnect-kde build a ticker. */
    static String ticker(String title, String text) {
        if (title.isEmpty()) {
            return text;
        }
        return text.isEmpty() ? title : title + ": " + text;
    }

    /** Lowercase hex MD5: receivers name their icon cache after it, so it must be of the exact bytes sent. */
    static String payloadHash(byte[] icon) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(icon));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    /**
     * Our notification. {@code time} goes out as a string because Android's receiver reads it as
     * one; {@code silent} is for re-sends, which must not pop up again.
     */
    static Packet notification(String id, OutgoingNotification notification, Optional<byte[]> icon, long time,
                               boolean silent) {
        Packet packet = new Packet(NOTIFICATION);
        packet.body().put("id", id)
                .put("appName", notification.appName())
                .put("title", notification.title())
                .put("text", notification.text())
                .put("ticker", ticker(notification.title(), notification.text()))
                .put("isClearable", notification.clearable())
                .put("time", Long.toString(time))
                .put("silent", silent);
        icon.ifPresent(bytes -> packet.body().put("payloadHash", payloadHash(bytes)));
        return packet;
    }

    static Packet cancel(String id) {
        Packet packet = new Packet(NOTIFICATION);
        packet.body().put("id", id).put("isCancel", true);
        return packet;
    }

    /** Asks the device for every notification it shows. */
    static Packet requestAll() {
        Packet packet = new Packet(REQUEST);
        packet.body().put("request", true);
        return packet;
    }

    /** A typed answer to a device's notification, addressed by the {@code requestReplyId} it gave. */
    static Packet reply(String replyId, String message) {
        Packet packet = new Packet(REPLY);
        packet.body().put("requestReplyId", replyId).put("message", message);
        return packet;
    }

    /** One of a device's notification buttons, pressed: the notification's id and the button's label. */
    static Packet action(String id, String action) {
        Packet packet = new Packet(ACTION);
        packet.body().put("key", id).put("action", action);
        return packet;
    }

    /** Asks the device to dismiss one of its notifications. */
    static Packet dismiss(String id) {
        Packet packet = new Packet(REQUEST);
        packet.body().put("cancel", id);
        return packet;
    }

    /**
     * Reads a device's {@code kdeconnect.notification}. Absent fields get defaults (kdeconnect-kde
     * sends neither title, text nor time; then the ticker stands for the title); a field of the
     * wrong type refuses the packet, since guessing could show something the device never said.
     */
    static Received parse(Packet packet) throws Refused {
        try {
            String id = identifier(packet, "id").orElseThrow(() -> new Refused("no id"));
            if (id.isEmpty()) {
                throw new Refused("empty id");
            }
            if (packet.bool("isCancel").orElse(false)) {
                return new Cancelled(id);
            }
            String appName = cut(packet.text("appName").orElse(""), MAX_APP_NAME);
            String title = cut(packet.text("title").orElse(""), MAX_TITLE);
            String text = cut(packet.text("text").orElse(""), MAX_TEXT);
            Optional<String> ticker = packet.text("ticker").map(t -> cut(t, MAX_TEXT));
            if (title.isEmpty() && text.isEmpty()) {
                title = cut(ticker.orElse(""), MAX_TITLE);
            }
            // Android sends the time as a string of digits, others as a number.
            DeviceNotification notification = new DeviceNotification(id, appName, title, text,
                    ticker.orElse(cut(ticker(title, text), MAX_TEXT)), packet.bool("isClearable").orElse(false),
                    packet.wholeNumber("time").orElse(0), actions(packet),
                    identifier(packet, "requestReplyId").filter(replyId -> !replyId.isEmpty()));
            return new Posted(notification, packet.bool("silent").orElse(false),
                    packet.text("payloadHash").filter(hash -> hash.length() <= MAX_HASH));
        } catch (PacketFieldException e) {
            throw new Refused(e.reason());
        }
    }

    /** The UTF-16 units a notification holds: what counts against a device's total. */
    static long size(DeviceNotification n) {
        long size = (long) n.id().length() + n.appName().length() + n.title().length() + n.text().length()
                + n.ticker().length() + n.replyId().map(String::length).orElse(0);
        for (String action : n.actions()) {
            size += action.length();
        }
        return size;
    }

    /** {@code text} cut to at most {@code max} units, never inside a surrogate pair, marked as cut. */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - CUT.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + CUT;
    }

    /** A string, or a whole number (kdeconnectd 25.04 numbers the notifications it forwards), of bounded length. */
    private static Optional<String> identifier(Packet packet, String field) throws Refused {
        Optional<String> value = packet.identifier(field);
        if (value.isPresent() && value.get().length() > MAX_ID) {
            throw new Refused(field + " is longer than " + MAX_ID + " characters");
        }
        return value;
    }

    private static List<String> actions(Packet packet) throws Refused {
        List<String> actions = packet.texts("actions");
        if (actions.size() > MAX_ACTIONS) {
            throw new Refused("more than " + MAX_ACTIONS + " actions");
        }
        for (String action : actions) {
            if (action.length() > MAX_ACTION) {
                throw new Refused("an action is longer than " + MAX_ACTION + " characters");
            }
        }
        return actions;
    }
}
