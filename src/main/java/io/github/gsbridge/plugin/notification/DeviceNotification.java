package io.github.gsbridge.plugin.notification;

import java.util.List;
import java.util.Optional;

/**
 * A notification the device showed, as it described it. {@code replyId} is the device's
 * {@code requestReplyId}: present when the notification takes a typed reply (a message).
 */
public record DeviceNotification(String id, String appName, String title, String text, String ticker,
                                 boolean clearable, long time, List<String> actions, Optional<String> replyId) {
    public boolean repliable() {
        return replyId.isPresent();
    }
}
