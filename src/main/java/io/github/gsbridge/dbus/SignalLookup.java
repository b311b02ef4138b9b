package io.github.gsbridge.dbus;

import org.freedesktop.dbus.messages.DBusSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Keeps signals of a D-Bus interface made of several Java interfaces receivable in this process.
 * Exporting an object makes dbus-java note, for each D-Bus interface name, the one Java interface
 * it came from, and look up received signals as nested classes of that Java interface. Device1 is
 * one Java interface per plugin, so in the daemon's own process (tests, in-process clients) all
 * but the last plugin's signals would be lost. Without the note, dbus-java looks signal classes
 * up by their D-Bus name, as every other process does. dbus-java 5.1.1 offers no API for this.
 */
final class SignalLookup {
    private static final Logger LOG = LoggerFactory.getLogger(SignalLookup.class);

    private SignalLookup() {}

    static void byDbusName(String interfaceName) {
        try {
            Field field = DBusSignal.class.getDeclaredField("INT_NAMES");
            field.setAccessible(true);
            ((Map<?, ?>) field.get(null)).remove(interfaceName);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("D-Bus: cannot drop dbus-java's Java name of {}: {}", interfaceName, e.toString());
        }
    }
}
