package io.github.gsbridge.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's log lines, for tests that assert what was refused and why. slf4j-simple looks up
 * {@code System.err} at every line (its default, uncached output), so replacing it here sees
 * every logger in this JVM; the lines still reach the original stream for the test report.
 */
public final class LogCapture implements AutoCloseable {
    private final PrintStream original;
    private final List<String> lines = new ArrayList<>();

    private LogCapture() {
        original = System.err;
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        System.setErr(new PrintStream(capture.new LineSplitter(), true, StandardCharsets.UTF_8));
        return capture;
    }

    /** Lines that contain every one of {@code fragments}. */
    public synchronized List<String> matching(String... fragments) {
        return lines.stream().filter(line -> Arrays.stream(fragments).allMatch(line::contains)).toList();
    }

    /** Waits for a line containing every one of {@code fragments} (lines logged before count). */
    public synchronized String await(Duration timeout, String... fragments) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> found = matching(fragments);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no log line with " + Arrays.toString(fragments) + " within " + timeout);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    @Override
    public void close() {
        System.setErr(original);
    }

    /** Passes bytes on and cuts them into lines; PrintStream serialises the writers. */
    private final class LineSplitter extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            original.write(b);
            split(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            for (int i = off; i < off + len; i++) {
                split(b[i]);
            }
        }

        private void split(int b) {
            if (b == '\n') {
                add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public void flush() {
            original.flush();
        }
    }
}
