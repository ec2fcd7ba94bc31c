package org.noduled.dicom.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class OutboxBackoffTest {

    private static final OutboxBackoff BACKOFF = new OutboxBackoff(Duration.ofMillis(100), Duration.ofSeconds(10));

    @Test
    void delayAfter_lowestDraw_isHalfTheDoublingBase() {
        RandomGenerator lowest = () -> 0L;
        assertEquals(Duration.ofMillis(50), BACKOFF.delayAfter(1, lowest));
        assertEquals(Duration.ofMillis(100), BACKOFF.delayAfter(2, lowest));
        assertEquals(Duration.ofMillis(200), BACKOFF.delayAfter(3, lowest));
        assertEquals(Duration.ofMillis(3200), BACKOFF.delayAfter(7, lowest));
        assertEquals(Duration.ofMillis(5000), BACKOFF.delayAfter(8, lowest), "base capped at the maximum");
    }

    @Test
    void delayAfter_anyDraw_staysWithinHalfBaseAndBase() {
        SplittableRandom random = new SplittableRandom(42);
        for (int failures = 1; failures <= 200; failures++) {
            long baseMillis = Math.min(10_000, 100L << Math.min(failures - 1, 40));
            Duration delay = BACKOFF.delayAfter(failures, random);
            assertTrue(delay.toNanos() >= baseMillis * 1_000_000 / 2 && delay.toNanos() <= baseMillis * 1_000_000,
                    "failure " + failures + ": " + delay);
        }
    }

    @Test
    void delayAfter_differentDraws_spreadTheRetries() {
        assertTrue(!BACKOFF.delayAfter(5, () -> 0L).equals(BACKOFF.delayAfter(5, () -> -1L)));
    }

    @Test
    void constructor_maximumBelowInitial_isRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new OutboxBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new OutboxBackoff(Duration.ZERO, Duration.ofSeconds(1)));
    }
}
