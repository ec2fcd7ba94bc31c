package org.noduled.detect;

/**
 * Hears each stage of each detection start and end (the runtime's latency log and metrics are one such
 * listener). Called on the detecting thread; keep it quick.
 */
public interface StageListener {

    /** Hears nothing. */
    StageListener NONE = new StageListener() {
    };

    default void stageStart(String seriesInstanceUid, Stage stage) {
    }

    default void stageEnd(String seriesInstanceUid, Stage stage, long elapsedNanos) {
    }

    default void stageFailed(String seriesInstanceUid, Stage stage, long elapsedNanos, RuntimeException failure) {
    }
}
