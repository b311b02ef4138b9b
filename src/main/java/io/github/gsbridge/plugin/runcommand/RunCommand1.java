package io.github.gsbridge.plugin.runcommand;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/** {@code io.github.gsbridge.RunCommand1}, documented in io.github.gsbridge.RunCommand1.xml beside this class. */
@DBusInterfaceName(RunCommand1.NAME)
@SuppressWarnings("checkstyle:methodname")
public interface RunCommand1 extends DBusInterface {
    String NAME = "io.github.gsbridge.RunCommand1";
    /** key → {"name", "command"}. */
    String LIST_SIGNATURE = "a{sa{ss}}";

    /** Adds a command the device may run here; returns its key. */
    String AddCommand(String name, String command);

    void RemoveCommand(String key);

    /** Asks the device to run one of its commands (property RemoteCommands). */
    void RunRemoteCommand(String key);

    /** Asks the device to send its commands again. */
    void RequestRemoteCommands();
}
