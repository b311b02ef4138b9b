package io.github.gsbridge.plugin.share;

import io.github.gsbridge.plugin.BusInterface;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

import java.util.List;

/** Share's part of {@code io.github.gsbridge.Device1}. */
@DBusInterfaceName(BusInterface.DEVICE1)
@SuppressWarnings("checkstyle:methodname")
public interface ShareDevice1 extends DBusInterface {
    /** Sends files (absolute paths or file:// URIs) as one transfer; returns the transfer's object. */
    DBusPath ShareFiles(List<String> pathsOrFileUris, boolean open);

    void ShareUrl(String url);

    void ShareText(String text);

    final class FileReceived extends DBusSignal {
        public final DBusPath transfer;
        public final String file;

        public FileReceived(String path, DBusPath transfer, String file) throws DBusException {
            super(path, transfer, file);
            this.transfer = transfer;
            this.file = file;
        }
    }

    final class UrlReceived extends DBusSignal {
        public final String url;

        public UrlReceived(String path, String url) throws DBusException {
            super(path, url);
            this.url = url;
        }
    }

    final class TextReceived extends DBusSignal {
        public final String text;

        public TextReceived(String path, String text) throws DBusException {
            super(path, text);
            this.text = text;
        }
    }

    /** GSConnect's {@code shareFile} action parameter {@code (sb)}: a path or URI, and whether to open it. */
    final class FileAndOpen extends Struct {
        @Position(0)
        public final String file;
        @Position(1)
        public final boolean open;

        public FileAndOpen(String file, boolean open) {
            this.file = file;
            this.open = open;
        }
    }
}
