package io.github.gsbridge.dbus;

import io.github.gsbridge.transfer.Transfer1;
import io.github.gsbridge.transfer.Transfer;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.types.UInt64;

import java.util.List;
import java.util.Locale;

/** A transfer on the bus: {@code io.github.gsbridge.Transfer1}. */
final class TransferObject extends BusObject implements Transfer1 {
    private final Transfer transfer;

    TransferObject(Transfer transfer, DBusConnection bus) {
        super(DbusService.transferPath(transfer.id()), bus);
        this.transfer = transfer;
        declare(Transfer1.NAME, List.of(
                Property.constant("Device", "o", new DBusPath(DbusService.devicePath(transfer.deviceId()))),
                Property.constant("Direction", "s", transfer.direction().name().toLowerCase(Locale.ROOT)),
                Property.of("State", "s", () -> transfer.state().name().toLowerCase(Locale.ROOT)),
                Property.of("BytesTotal", "t", () -> new UInt64(transfer.bytesTotal())),
                Property.of("BytesDone", "t", () -> new UInt64(transfer.bytesDone())),
                Property.of("Files", "as", transfer::files),
                Property.of("Error", "s", () -> transfer.error().orElse(""))));
    }

    @Override
    String introspectionFile() {
        return "io.github.gsbridge.Transfer1.xml";
    }

    @Override
    public void Cancel() {
        transfer.cancel();
        refresh();
    }
}
