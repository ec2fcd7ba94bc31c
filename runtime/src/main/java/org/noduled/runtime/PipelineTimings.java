package org.noduled.runtime;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How long each stage of one series took, nanoseconds, from the pipeline's clock. Stages that did not run
 * (after a failure) are absent; a failed stage holds the time it ran until it failed.
 */
record PipelineTimings(Map<PipelineStage, Long> nanos) {

    PipelineTimings {
        nanos = Collections.unmodifiableMap(nanos.isEmpty() ? new EnumMap<>(PipelineStage.class) : new EnumMap<>(nanos));
    }

    boolean ran(PipelineStage stage) {
        return nanos.containsKey(stage);
    }

    double millis(PipelineStage stage) {
        return nanos.getOrDefault(stage, 0L) / 1e6;
    }

    /** The series' latency: the sum of its stages (they run one after the other on one thread). */
    double totalMillis() {
        return nanos.values().stream().mapToLong(Long::longValue).sum() / 1e6;
    }
}
