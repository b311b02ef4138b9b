package io.github.gsbridge.plugin.clipboard;

import io.github.gsbridge.plugin.CommandFailure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The text a command reads from standard input, as much as a clipboard takes and no more. */
final class StandardInput {
    private StandardInput() {}

    /**
     * Whether {@code fd} (e.g. /proc/self/fd/0) is a terminal. Java only knows whether stdin and
     * stdout both are (System.console()); a command whose output is piped must still tell a
     * keyboard from a pipe on its input.
     */
    static boolean isTerminal(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** All of {@code in} as UTF-8 text; input over {@code maxBytes} or not UTF-8 is refused, unread beyond. */
    static String read(InputStream in, int maxBytes) throws CommandFailure {
        byte[] bytes;
        try {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new CommandFailure("cannot read standard input: " + e.getMessage());
        }
        if (bytes.length > maxBytes) {
            throw new CommandFailure("the text on standard input is more than " + maxBytes / 1024
                    + " KiB, more than a clipboard takes; nothing was sent");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CommandFailure("standard input is not text (not UTF-8); nothing was sent");
        }
    }
}
