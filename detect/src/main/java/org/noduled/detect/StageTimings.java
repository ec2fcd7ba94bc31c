package org.noduled.detect;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** How long each stage of one detection took, nanoseconds, from the pipeline's clock. */
public record StageTimings(Map<Stage, Long> nanos) {

    public StageTimings {
        nanos = Collections.unmodifiableMap(new EnumMap<>(nanos));
    }

    public long nanos(Stage stage) {
        return nanos.getOrDefault(stage, 0L);
    }

    public double millis(Stage stage) {
        return nanos(stage) / 1e6;
    }

    /** Sum over the stages (the detector's part of a series' latency). */
    public long totalNanos() {
        return nanos.values().stream().mapToLong(Long::longValue).sum();
    }
}
