package io.github.gsbridge.cli;

/** An operation that did not work; its message is printed and the command exits with 1. */
final class CliFailure extends Exception {
    CliFailure(String message) {
        super(message);
    }
}
