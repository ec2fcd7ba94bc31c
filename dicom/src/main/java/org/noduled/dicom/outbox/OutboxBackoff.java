package org.noduled.dicom.outbox;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long the outbox waits before trying a destination again: exponential backoff with "equal jitter".
 * After the n-th consecutive failure the base delay is {@code min(max, initial * 2^(n-1))} and the wait is
 * drawn uniformly from [base/2, base], so many nodes behind one PACS that comes back do not all retry at once.
 *
 * @param initial base delay after the first failure
 * @param max     ceiling of the base delay
 */
public record OutboxBackoff(Duration initial, Duration max) {

    /** 1 s, doubling up to 5 min: a PACS restart costs a few retries, a day-long outage a few hundred. */
    public static final OutboxBackoff DEFAULT = new OutboxBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    public OutboxBackoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("maximum backoff " + max + " is below the initial backoff " + initial);
        }
    }

    /** The wait after {@code failures} consecutive failures (1 for the first). */
    Duration delayAfter(int failures, RandomGenerator random) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, got " + failures);
        }
        long initialNanos = initial.toNanos();
        long maxNanos = max.toNanos();
        int doublings = Math.min(failures - 1, 62);
        long base = initialNanos > (maxNanos >> doublings) ? maxNanos : Math.min(maxNanos, initialNanos << doublings);
        long half = base / 2;
        return Duration.ofNanos(half + (long) (random.nextDouble() * (base - half)));
    }
}
