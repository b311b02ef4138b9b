package io.github.gsbridge.plugin;

import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** A subcommand about one device: {@code -d DEV}, and the device's D-Bus interfaces. */
public abstract class DeviceCommand implements Callable<Integer> {
    @ParentCommand
    protected ClientContext cli;

    @Option(names = {"-d", "--device"}, required = true, paramLabel = "DEV",
            description = "The device: its name (any case, or a unique beginning of it) or its id.")
    private String device;

    private DaemonClient.Target target;

    /** The device named by {@code -d}, looked up once. */
    protected final DaemonClient.Target target() throws CommandFailure {
        if (target == null) {
            target = cli.daemon().device(device);
        }
        return target;
    }

    /** The device's object, as {@code type}. */
    protected final <T extends DBusInterface> T remote(Class<T> type) throws CommandFailure {
        return cli.daemon().remote(target().path(), type);
    }

    /** What a command does while it follows the daemon's signals. */
    @FunctionalInterface
    protected interface Following {
        void run() throws Exception;
    }

    /**
     * Runs {@code body}, which follows the daemon (a transfer, an answer): an interruption, or a
     * subscription that breaks, ends the command with a failure saying what it was following.
     */
    protected static void follow(String what, Following body) throws CommandFailure {
        try {
            body.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted");
        } catch (CommandFailure | DBusExecutionException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandFailure("cannot follow " + what + ": " + e.getMessage());
        }
    }

    @Override
    public final Integer call() throws Exception {
        run();
        return 0;
    }

    protected abstract void run() throws Exception;
}
