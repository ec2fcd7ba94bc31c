package org.noduled.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class SliceWorkersTest {

    @Test
    void forEachPart_coversEveryIndexExactlyOnce() {
        for (int threads = 1; threads <= 3; threads++) {
            try (SliceWorkers workers = new SliceWorkers(threads)) {
                for (int count : new int[] {0, 1, 2, 7, 300}) {
                    AtomicIntegerArray seen = new AtomicIntegerArray(count);
                    workers.forEachPart(count, (start, end) -> {
                        for (int n = start; n < end; n++) {
                            seen.incrementAndGet(n);
                        }
                    });
                    for (int n = 0; n < count; n++) {
                        assertEquals(1, seen.get(n), threads + " threads, " + count + " items, item " + n);
                    }
                }
            }
        }
    }

    @Test
    void forEachPart_twoThreads_runsThePartsAtTheSameTime() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        AtomicBoolean met = new AtomicBoolean(true);
        try (SliceWorkers workers = new SliceWorkers(2)) {
            workers.forEachPart(10, (start, end) -> {
                bothStarted.countDown();
                try {
                    met.compareAndSet(true, bothStarted.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    met.set(false);
                }
            });
        }
        assertTrue(met.get(), "each part waited for the other: they must run on two threads");
    }

    @Test
    void forEachPart_aPartFails_rethrowsAfterTheOtherPartHasFinished() {
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicBoolean otherFinished = new AtomicBoolean();
        try (SliceWorkers workers = new SliceWorkers(2)) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> workers.forEachPart(10, (start, end) -> {
                        if (start == 0) {
                            throw boom;
                        }
                        sleepQuietly(); // so an early return would find this part still running
                        otherFinished.set(true);
                    }));
            assertSame(boom, thrown);
            assertTrue(otherFinished.get(), "returned while a pool thread was still working");
        }
    }

    @Test
    void constructor_zeroThreads_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SliceWorkers(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
