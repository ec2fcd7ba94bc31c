package org.noduled.detect;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Runs one detection's stages in turn, timing each and telling the listener; the only place stages are timed. */
final class StageChain {

    private final String seriesInstanceUid;
    private final LongSupplier nanoClock;
    private final StageListener listener;
    private final Map<Stage, Long> nanos = new EnumMap<>(Stage.class);

    StageChain(String seriesInstanceUid, LongSupplier nanoClock, StageListener listener) {
        this.seriesInstanceUid = seriesInstanceUid;
        this.nanoClock = nanoClock;
        this.listener = listener;
    }

    <T> T run(Stage stage, Supplier<T> work) {
        listener.stageStart(seriesInstanceUid, stage);
        long start = nanoClock.getAsLong();
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            listener.stageFailed(seriesInstanceUid, stage, nanoClock.getAsLong() - start, e);
            throw e;
        }
        long elapsed = nanoClock.getAsLong() - start;
        nanos.put(stage, elapsed);
        listener.stageEnd(seriesInstanceUid, stage, elapsed);
        return result;
    }

    StageTimings timings() {
        return new StageTimings(nanos);
    }
}
