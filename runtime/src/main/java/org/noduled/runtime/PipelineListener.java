package org.noduled.runtime;

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
}
