package io.github.gsbridge.wire;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineReaderTest {
    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] line) {
        return new String(line, StandardCharsets.UTF_8);
    }

    @Test
    void splitsLinesAndDropsPartialTail() throws IOException {
        LineReader reader = new LineReader(stream("a\n\nbc\npartial"), 100);
        assertEquals("a", text(reader.readLine()));
        assertEquals("", text(reader.readLine()));
        assertEquals("bc", text(reader.readLine()));
        assertNull(reader.readLine());
    }

    @Test
    void readsLinesLargerThanItsInitialBuffer() throws IOException {
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 'x');
        String content = new String(big, StandardCharsets.US_ASCII);
        LineReader reader = new LineReader(stream(content + "\nnext\n"), 300_000);
        assertEquals(content, text(reader.readLine()));
        assertEquals("next", text(reader.readLine()));
    }

    @Test
    void lineOverTheLimitIsRefused() {
        byte[] big = new byte[5000];
        Arrays.fill(big, (byte) 'x');
        LineReader reader = new LineReader(new ByteArrayInputStream(big), 4096);
        assertThrows(LineTooLongException.class, reader::readLine);
    }

    @Test
    void lineExactlyAtTheLimitIsAccepted() throws IOException {
        byte[] data = new byte[4097];
        Arrays.fill(data, (byte) 'y');
        data[4096] = '\n';
        assertEquals(4096, new LineReader(new ByteArrayInputStream(data), 4096).readLine().length);
        assertEquals(4096, LineReader.readUnbuffered(new ByteArrayInputStream(data), 4096).length);
    }

    @Test
    void tighterPerCallLimit() {
        LineReader reader = new LineReader(stream("x".repeat(9000) + "\n"), 32 * 1024 * 1024);
        assertThrows(LineTooLongException.class, () -> reader.readLine(PacketCodec.MAX_IDENTITY_LINE));
    }

    @Test
    void aLimitRaisedWhileALineArrivesAppliesToThatLine() throws IOException {
        byte[] data = ("z".repeat(20_000) + "\n").getBytes(StandardCharsets.US_ASCII);
        LineReader[] reader = new LineReader[1];
        // The device becomes paired after the first bytes of its next line are in.
        InputStream slow = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                if (pos > 0) {
                    reader[0].setLimit(32 * 1024 * 1024);
                }
                return super.read(b, off, Math.min(len, 4096));
            }
        };
        reader[0] = new LineReader(slow, PacketCodec.MAX_IDENTITY_LINE);
        assertEquals(20_000, reader[0].readLine().length);
    }

    @Test
    void aLoweredLimitAppliesToTheNextLine() throws IOException {
        LineReader reader = new LineReader(stream("a".repeat(9000) + "\n" + "b".repeat(9000) + "\n"), 100_000);
        assertEquals(9000, reader.readLine().length);
        reader.setLimit(PacketCodec.MAX_IDENTITY_LINE);
        assertThrows(LineTooLongException.class, reader::readLine);
    }

    @Test
    void aLongLineDoesNotKeepItsBufferAfterwards() throws IOException {
        LineReader reader = new LineReader(stream("x".repeat(4 * 1024 * 1024) + "\nshort\n"), 32 * 1024 * 1024);
        assertEquals(4 * 1024 * 1024, reader.readLine().length);
        assertTrue(reader.bufferSize() <= 16 * 1024, "still holding " + reader.bufferSize() + " bytes");
        assertEquals("short", text(reader.readLine()));
    }

    @Test
    void unbufferedReadLeavesTheRestUnread() throws IOException {
        InputStream in = stream("{\"identity\":1}\n\u0016\u0003\u0001TLS bytes");
        assertEquals("{\"identity\":1}", text(LineReader.readUnbuffered(in, 8192)));
        byte[] rest = in.readAllBytes();
        assertArrayEquals("\u0016\u0003\u0001TLS bytes".getBytes(StandardCharsets.UTF_8), rest);
    }

    @Test
    void unbufferedLimitAndEof() throws IOException {
        assertThrows(LineTooLongException.class, () -> LineReader.readUnbuffered(stream("z".repeat(9000)), 8192));
        assertNull(LineReader.readUnbuffered(stream("no newline"), 8192));
    }
}
