package io.github.gsbridge.plugin.runcommand;

import java.util.Map;

/** One entry of a command list: the name a person picks it by, and the command line that runs. */
public record Command(String name, String command) {
    /** The {@code {name, command}} object of KDE Connect's lists, GSConnect's dconf value and our D-Bus properties. */
    Map<String, String> fields() {
        return Map.of("name", name, "command", command);
    }
}
