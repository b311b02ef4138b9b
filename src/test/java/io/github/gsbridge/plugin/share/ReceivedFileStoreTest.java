package io.github.gsbridge.plugin.share;

import io.github.gsbridge.testsupport.ManagedProcess;
import io.github.gsbridge.testsupport.RealComponents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceivedFileStoreTest {
    @TempDir
    Path tmp;

    private final ReceivedFileStore store = new ReceivedFileStore();

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFullDiskLeavesNothingBehind() throws Exception {
        RealComponents.requireRoot();
        Path small = Files.createDirectory(tmp.resolve("small"));
        ManagedProcess.run(List.of("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString()), null,
                Duration.ofSeconds(10)).assertOk("mount a 1 MiB tmpfs");
        try {
            byte[] data = new byte[3 * 1024 * 1024];
            IOException full = assertThrows(IOException.class, () -> store.write(small, "big.bin",
                    new ByteArrayInputStream(data), data.length, OptionalLong.empty(), n -> { }));
            assertTrue(full.getMessage().contains("No space left on device"), full.getMessage());
            assertEquals(List.of(), names(small));
        } finally {
            ManagedProcess.run(List.of("umount", small.toString()), null, Duration.ofSeconds(10))
                    .assertOk("umount the tmpfs");
        }
    }

    @Test
    void concurrentTransfersOfOneNameNeverClobberEachOther() throws Exception {
        int count = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] content = ("writer " + i).getBytes();
                results.add(pool.submit(() -> {
                    start.await();
                    return store.write(tmp, "same.txt", new ByteArrayInputStream(content), content.length,
                            OptionalLong.empty(), n -> { });
                }));
            }
            start.countDown();
            List<String> contents = new ArrayList<>();
            for (Future<Path> result : results) {
                contents.add(Files.readString(result.get()));
            }
            assertEquals(count, names(tmp).size(), names(tmp).toString());
            assertEquals(count, contents.stream().distinct().count(), "each writer has its own file");
            assertTrue(names(tmp).contains("same.txt") && names(tmp).contains("same (7).txt"), names(tmp).toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailingSourceLeavesNoTemporaryFile() throws Exception {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        assertThrows(IOException.class, () -> store.write(tmp, "x.bin", broken, 10, OptionalLong.empty(), n -> { }));
        assertEquals(List.of(), names(tmp));
        byte[] ok = {1, 2, 3};
        Path written = store.write(tmp, "x.bin", new ByteArrayInputStream(ok), 3, OptionalLong.of(0), n -> { });
        assertArrayEquals(ok, Files.readAllBytes(written));
    }

    @Test
    void recordSizedReadsAroundTheBufferSizeArriveWholeWithEveryByteCounted() throws Exception {
        // A TLS stream gives one 16 KiB record per read at most; the store gathers them before writing.
        for (int size : new int[] {1, 16 * 1024 + 1, 1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1, 2 * 1024 * 1024 + 5}) {
            byte[] content = new byte[size];
            new java.util.Random(size).nextBytes(content);
            InputStream recordSized = new ByteArrayInputStream(content) {
                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    return super.read(b, off, Math.min(len, 16 * 1024));
                }
            };
            long[] counted = {0};
            Path written = store.write(tmp, size + ".bin", recordSized, size, OptionalLong.empty(), n -> counted[0] += n);
            assertArrayEquals(content, Files.readAllBytes(written), "size " + size);
            assertEquals(size, counted[0], "size " + size);
        }
    }

    @Test
    void partsLeftByACrashAreRemovedAndNothingElse() throws Exception {
        FileTime longAgo = FileTime.from(Instant.now().minus(ReceivedFileStore.ABANDONED_AFTER).minusSeconds(60));
        Path abandoned = Files.write(tmp.resolve(".holiday.jpg.0badc0de" + ReceivedFileStore.PART_SUFFIX), new byte[10]);
        Files.setLastModifiedTime(abandoned, longAgo);
        // Still being written by someone: recent.
        Files.write(tmp.resolve(".movie.mkv.12345678" + ReceivedFileStore.PART_SUFFIX), new byte[10]);
        // Not our temporary names, however old.
        for (String name : List.of("notes" + ReceivedFileStore.PART_SUFFIX, ".x.NOTHEX00" + ReceivedFileStore.PART_SUFFIX,
                "report.pdf")) {
            Files.setLastModifiedTime(Files.write(tmp.resolve(name), new byte[1]), longAgo);
        }
        // Nor a symlink that looks like one.
        Path elsewhere = Files.write(Files.createDirectory(tmp.resolve("elsewhere")).resolve("keep"), new byte[1]);
        Files.createSymbolicLink(tmp.resolve(".link.abcdef01" + ReceivedFileStore.PART_SUFFIX), elsewhere);

        store.write(tmp, "new.bin", new ByteArrayInputStream(new byte[] {7}), 1, OptionalLong.of(0), n -> { });

        assertEquals(List.of(".link.abcdef01" + ReceivedFileStore.PART_SUFFIX,
                ".movie.mkv.12345678" + ReceivedFileStore.PART_SUFFIX, ".x.NOTHEX00" + ReceivedFileStore.PART_SUFFIX,
                "elsewhere", "new.bin", "notes" + ReceivedFileStore.PART_SUFFIX, "report.pdf"), names(tmp));
        assertTrue(Files.exists(elsewhere));
        assertEquals(FileTime.fromMillis(0), Files.getLastModifiedTime(tmp.resolve("new.bin")),
                "the sender's time is set on the published file");
    }
}
