package io.github.gsbridge.plugin;

/** A command that did not work: its message is printed, in the user's words, and gsbridge exits with 1. */
public final class CommandFailure extends Exception {
    public CommandFailure(String message) {
        super(message);
    }
}
