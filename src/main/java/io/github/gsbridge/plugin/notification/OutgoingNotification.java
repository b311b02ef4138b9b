package io.github.gsbridge.plugin.notification;

import java.nio.file.Path;
import java.util.Optional;

/** A notification to show on a device; an empty id gets a generated one. */
public record OutgoingNotification(Optional<String> id, String appName, String title, String text, Optional<Path> icon,
                                   boolean clearable) { }
