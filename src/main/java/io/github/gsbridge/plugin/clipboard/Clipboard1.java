package io.github.gsbridge.plugin.clipboard;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

/** {@code io.github.gsbridge.Clipboard1}, documented in {@code io.github.gsbridge.Clipboard1.xml}. */
@DBusInterfaceName(Clipboard1.NAME)
@SuppressWarnings("checkstyle:methodname")
public interface Clipboard1 extends DBusInterface {
    String NAME = "io.github.gsbridge.Clipboard1";

    /** Puts {@code text} on the device's clipboard. */
    void SetContent(String text);

    /** The device copied {@code content}, newer than what this computer last had. */
    final class ContentChanged extends DBusSignal {
        public final String content;

        public ContentChanged(String path, String content) throws DBusException {
            super(path, content);
            this.content = content;
        }
    }
}
