package io.github.gsbridge.threads;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadsTest {
    @Test
    void aDaemonFactoryNamesEveryThreadTheSameAndNoneKeepsTheJvmAlive() {
        ThreadFactory factory = Threads.daemon("dialer");
        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });
        assertEquals("dialer", first.getName());
        assertEquals("dialer", second.getName());
        assertTrue(first.isDaemon() && second.isDaemon());
        assertFalse(first.isAlive(), "a factory creates, the executor starts");
    }

    @Test
    void aNumberedFactoryCountsFromOnePerFactory() {
        ThreadFactory shares = Threads.numbered("share");
        assertEquals("share-1", shares.newThread(() -> { }).getName());
        assertEquals("share-2", shares.newThread(() -> { }).getName());
        assertEquals("share-1", Threads.numbered("share").newThread(() -> { }).getName(), "each factory counts alone");
        assertTrue(shares.newThread(() -> { }).isDaemon());
    }

    @Test
    void startRunsTheBodyOnANamedDaemonThread() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        Thread thread = Threads.start("network-monitor", () -> ranOn.complete(Thread.currentThread()));
        assertEquals(thread, ranOn.get(10, TimeUnit.SECONDS));
        assertEquals("network-monitor", thread.getName());
        assertTrue(thread.isDaemon());
    }
}
