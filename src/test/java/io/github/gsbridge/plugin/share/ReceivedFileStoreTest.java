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
import java.time.Duration;
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
}
