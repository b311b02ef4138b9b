package io.github.gsbridge.wire;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * Reads newline-terminated lines with a hard length limit, so a peer cannot make us buffer
 * without bound. Lines are returned without the newline.
 */
public final class LineReader {
    private static final int INITIAL_BUFFER = 16 * 1024;

    private final InputStream in;
    /** Changed from other threads: a link's limit rises when its device becomes paired. */
    private volatile int limit;
    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int start;
    private int end;

    public LineReader(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    /**
     * Applies to the line being read as well: a device that becomes paired while its next line
     * is arriving may already send it at the new size.
     */
    public void setLimit(int limit) {
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }

    /** The next line, or null at a clean end of stream (a partial last line is discarded). */
    public byte[] readLine() throws IOException {
        return readLine(() -> limit);
    }

    /** Like {@link #readLine()} with a tighter limit, e.g. for the identity that opens a TLS link. */
    public byte[] readLine(int lineLimit) throws IOException {
        return readLine(() -> lineLimit);
    }

    private byte[] readLine(IntSupplier lineLimit) throws IOException {
        int scanned = 0;
        while (true) {
            int currentLimit = lineLimit.getAsInt();
            int scanEnd = (int) Math.min(end, (long) start + currentLimit + 1);
            for (int i = start + scanned; i < scanEnd; i++) {
                if (buffer[i] == '\n') {
                    byte[] line = Arrays.copyOfRange(buffer, start, i);
                    start = i + 1;
                    shrinkAfterLongLine();
                    return line;
                }
            }
            scanned = scanEnd - start;
            if (scanned > currentLimit) {
                throw new LineTooLongException(currentLimit);
            }
            if (!fill(currentLimit)) {
                return null;
            }
        }
    }

    /**
     * One long line must not cost its size for as long as the link lasts: a paired device sends
     * few of them, and every link would otherwise keep a buffer as large as the longest it saw.
     */
    private void shrinkAfterLongLine() {
        int pending = end - start;
        if (buffer.length > INITIAL_BUFFER && pending <= INITIAL_BUFFER) {
            byte[] small = new byte[INITIAL_BUFFER];
            System.arraycopy(buffer, start, small, 0, pending);
            buffer = small;
            start = 0;
            end = pending;
        }
    }

    /** What the reader holds in memory between lines (for tests). */
    int bufferSize() {
        return buffer.length;
    }

    private boolean fill(int lineLimit) throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            // Grow only as far as the limit allows (+1 byte so an over-long line is detected).
            int grown = (int) Math.min((long) lineLimit + 1, buffer.length * 2L);
            if (grown <= buffer.length) {
                throw new LineTooLongException(lineLimit);
            }
            buffer = Arrays.copyOf(buffer, grown);
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    /**
     * Reads one line byte by byte, never consuming anything after the newline: the clear-text
     * identity is followed on the same socket by the TLS handshake, which must stay unread.
     */
    public static byte[] readUnbuffered(InputStream in, int limit) throws IOException {
        byte[] line = new byte[256];
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                return Arrays.copyOf(line, length);
            }
            if (length == limit) {
                throw new LineTooLongException(limit);
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(limit, line.length * 2));
            }
            line[length++] = (byte) b;
        }
    }
}
