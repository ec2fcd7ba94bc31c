package org.noduled.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that prepare one series: the caller's own plus {@code threads - 1} pool threads. Work over
 * a range of slices is cut into contiguous parts, one per thread, so each part keeps its own OpenCV
 * scratch buffers and neighbouring slices still share resized source slices. Every part computes its
 * slices exactly as one thread would, so results do not depend on the thread count.
 */
final class SliceWorkers implements AutoCloseable {

    /** The work on one contiguous part {@code [start, end)} of the range. */
    interface Part {
        void run(int start, int end);
    }

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final ExecutorService pool;

    /** @param threads threads working on one series, the caller's included; 1 runs everything on the caller */
    SliceWorkers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("preprocessing threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        int id = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "noduled-preprocess-" + id + "-" + count.incrementAndGet());
            // Idle workers must not keep a JVM alive whose owner forgot to close it.
            t.setDaemon(true);
            return t;
        });
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code part} over {@code [0, count)} cut into up to {@link #threads()} contiguous parts, the
     * first on the calling thread; returns once every part has finished, so no part outlives the call
     * (even when one fails: the first failure is rethrown after the others end).
     */
    void forEachPart(int count, Part part) {
        if (pool != null && pool.isShutdown()) {
            throw new IllegalStateException("the preprocessor was closed; open a new one (or a new detector)");
        }
        int parts = Math.max(1, Math.min(threads, count));
        List<Future<?>> others = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int start = bound(p, parts, count);
            int end = bound(p + 1, parts, count);
            others.add(pool.submit(() -> part.run(start, end)));
        }
        Throwable failure = null;
        try {
            part.run(0, bound(1, parts, count));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> other : others) {
            Throwable t = awaitUninterruptibly(other);
            if (failure == null) {
                failure = t;
            } else if (t != null) {
                failure.addSuppressed(t);
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    private static int bound(int p, int parts, int count) {
        return (int) ((long) p * count / parts);
    }

    /**
     * Waits for a part however often this thread is interrupted (parts take milliseconds, and returning
     * early would leave a pool thread writing into the caller's arrays); the interrupt is kept for later.
     */
    private static Throwable awaitUninterruptibly(Future<?> part) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    part.get();
                    return null;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return e.getCause();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
