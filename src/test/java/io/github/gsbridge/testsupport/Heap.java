package io.github.gsbridge.testsupport;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Heap figures for tests that check a long run or a flood leaves nothing behind. */
public final class Heap {
    private Heap() {}

    /** Bytes of heap in use after a few full collections (one may leave garbage a finaliser or reference queue frees). */
    public static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    public static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
