package org.noduled.runtime;

import java.util.Locale;

/**
 * The per-series latency target (issue: 500 ms from series complete to the SR fsynced in the outbox, on 2
 * CPU cores) and the verdict a series gets against it.
 *
 * @param budgetMillis the target, milliseconds
 */
record LatencyBudget(double budgetMillis) {

    static final double DEFAULT_MILLIS = 500;

    LatencyBudget {
        if (!(budgetMillis > 0) || Double.isInfinite(budgetMillis)) {
            throw new IllegalArgumentException("latency budget must be a positive number of milliseconds, got "
                    + budgetMillis);
        }
    }

    boolean met(double totalMillis) {
        return totalMillis <= budgetMillis;
    }

    /** "within the 500 ms budget" or "OVER the 500 ms budget by 12.3 ms". */
    String verdict(double totalMillis) {
        return met(totalMillis)
                ? String.format(Locale.ROOT, "within the %s ms budget", number(budgetMillis))
                : String.format(Locale.ROOT, "OVER the %s ms budget by %.1f ms", number(budgetMillis),
                        totalMillis - budgetMillis);
    }

    private static String number(double millis) {
        return millis == Math.rint(millis) ? Long.toString((long) millis) : String.format(Locale.ROOT, "%.1f", millis);
    }
}
