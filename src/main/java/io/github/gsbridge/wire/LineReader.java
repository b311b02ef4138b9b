package io.github.gsbridge.wire;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads newline-terminated lines with a hard length limit, so a peer cannot make us buffer
 * without bound. Lines are returned without the newline.
 */
public final class LineReader {
    private final InputStream in;
    private final int limit;
    private byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;

    public LineReader(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    /** The next line, or null at a clean end of stream (a partial last line is discarded). */
    public byte[] readLine() throws IOException {
        return readLine(limit);
    }

    /** Like {@link #readLine()} with a tighter limit, e.g. for the identity that opens a TLS link. */
    public byte[] readLine(int lineLimit) throws IOException {
        int scanned = 0;
        while (true) {
            int scanEnd = (int) Math.min(end, (long) start + lineLimit + 1);
            for (int i = start + scanned; i < scanEnd; i++) {
                if (buffer[i] == '\n') {
                    byte[] line = Arrays.copyOfRange(buffer, start, i);
                    start = i + 1;
                    return line;
                }
            }
            scanned = end - start;
            if (scanned > lineLimit) {
                throw new LineTooLongException(lineLimit);
            }
            if (!fill()) {
                return null;
            }
        }
    }

    private boolean fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            // Grow only as far as the limit allows (+1 byte so an over-long line is detected).
            int grown = (int) Math.min((long) limit + 1, buffer.length * 2L);
            if (grown <= buffer.length) {
                throw new LineTooLongException(limit);
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
