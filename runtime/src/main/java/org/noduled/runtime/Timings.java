package org.noduled.runtime;

import java.util.Arrays;

/** Repeated wall-clock measurements of one operation, in milliseconds, summarised by nearest-rank percentiles. */
record Timings(double[] millis) {

    Timings {
        if (millis.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        millis = millis.clone();
        Arrays.sort(millis);
    }

    /** The nearest-rank percentile, p in (0, 100]. */
    double percentile(double p) {
        int rank = (int) Math.ceil(p / 100 * millis.length);
        return millis[Math.max(0, Math.min(millis.length - 1, rank - 1))];
    }

    double p50() {
        return percentile(50);
    }

    double p95() {
        return percentile(95);
    }

    double min() {
        return millis[0];
    }
}
