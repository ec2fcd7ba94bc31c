package org.noduled.runtime;

import java.util.List;

/**
 * Hears every stage of every series start, end or fail, and each series finish (after OkHttp's
 * EventListener). The latency log is one listener; metrics would be another. Called on the pipeline's
 * thread: keep it quick.
 */
interface PipelineListener {

    PipelineListener NONE = new PipelineListener() {
    };

    default void stageStart(String seriesInstanceUid, PipelineStage stage) {
    }

    default void stageEnd(String seriesInstanceUid, PipelineStage stage, long elapsedNanos) {
    }

    default void stageFailed(String seriesInstanceUid, PipelineStage stage, long elapsedNanos, Exception failure) {
    }

    /** Every stage ended; {@code timings} holds them all. */
    default void seriesDone(String seriesInstanceUid, PipelineTimings timings) {
    }

    /** A stage failed; {@code timings} holds the stages that ran, the failed one included. */
    default void seriesFailed(String seriesInstanceUid, PipelineStage failedStage, PipelineTimings timings,
            Exception failure) {
    }

    /** Tells each of {@code listeners} in turn. */
    static PipelineListener all(PipelineListener... listeners) {
        List<PipelineListener> all = List.of(listeners);
        return new PipelineListener() {
            @Override
            public void stageStart(String uid, PipelineStage stage) {
                all.forEach(l -> l.stageStart(uid, stage));
            }

            @Override
            public void stageEnd(String uid, PipelineStage stage, long elapsedNanos) {
                all.forEach(l -> l.stageEnd(uid, stage, elapsedNanos));
            }

            @Override
            public void stageFailed(String uid, PipelineStage stage, long elapsedNanos, Exception failure) {
                all.forEach(l -> l.stageFailed(uid, stage, elapsedNanos, failure));
            }

            @Override
            public void seriesDone(String uid, PipelineTimings timings) {
                all.forEach(l -> l.seriesDone(uid, timings));
            }

            @Override
            public void seriesFailed(String uid, PipelineStage failedStage, PipelineTimings timings, Exception failure) {
                all.forEach(l -> l.seriesFailed(uid, failedStage, timings, failure));
            }
        };
    }
}
