package org.noduled.runtime;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.noduled.detect.Stage;
import org.noduled.detect.StageListener;

/**
 * Runs one series' stages in turn, timing each and telling the listener: the only place the runtime times a
 * stage. Stages that run inside another component (the detector's preprocess, infer and decode) are timed by
 * that component's own chain on the same clock and reach this one through {@link #delegate}.
 */
final class SeriesChain {

    /** One stage's work; may throw whatever the stage throws (DICOM, volume, model or I/O failures). */
    @FunctionalInterface
    interface Work<T> {
        T run() throws Exception;
    }

    private final String seriesInstanceUid;
    private final LongSupplier nanoClock;
    private final PipelineListener listener;
    private final Map<PipelineStage, Long> nanos = new EnumMap<>(PipelineStage.class);
    private PipelineStage current;
    private PipelineStage failedStage;

    SeriesChain(String seriesInstanceUid, LongSupplier nanoClock, PipelineListener listener) {
        this.seriesInstanceUid = seriesInstanceUid;
        this.nanoClock = nanoClock;
        this.listener = listener;
    }

    /** Runs and times one stage; a failure is recorded against it and rethrown. */
    <T> T run(PipelineStage stage, Work<T> work) throws Exception {
        started(stage);
        long start = nanoClock.getAsLong();
        T result;
        try {
            result = work.run();
        } catch (Exception e) {
            stageFailed(stage, nanoClock.getAsLong() - start, e);
            throw e;
        }
        ended(stage, nanoClock.getAsLong() - start);
        return result;
    }

    /**
     * Runs a component that times its own stages (the detector) and reports them through the
     * {@link StageListener} it is handed; those stages count here as if this chain had run them.
     */
    <T> T delegate(Function<StageListener, T> work) {
        return work.apply(new StageListener() {
            @Override
            public void stageStart(String uid, Stage stage) {
                started(PipelineStage.of(stage));
            }

            @Override
            public void stageEnd(String uid, Stage stage, long elapsedNanos) {
                ended(PipelineStage.of(stage), elapsedNanos);
            }

            @Override
            public void stageFailed(String uid, Stage stage, long elapsedNanos, RuntimeException failure) {
                SeriesChain.this.stageFailed(PipelineStage.of(stage), elapsedNanos, failure);
            }
        });
    }

    /** The stages so far. */
    PipelineTimings timings() {
        return new PipelineTimings(nanos);
    }

    /** Every stage ran: tells the listener and hands back {@code outcome}. */
    SeriesOutcome done(SeriesOutcome.Processed outcome) {
        listener.seriesDone(seriesInstanceUid, outcome.timings());
        return outcome;
    }

    /**
     * A stage failed (or something between stages did): tells the listener which stage and hands back the
     * failure as an outcome, with the stages that ran.
     */
    SeriesOutcome fail(Exception e) {
        PipelineStage stage = failedStage != null ? failedStage : current != null ? current : PipelineStage.LOAD;
        PipelineTimings timings = timings();
        listener.seriesFailed(seriesInstanceUid, stage, timings, e);
        return new SeriesOutcome.Failed(seriesInstanceUid, stage, FailureReason.of(e), timings);
    }

    private void started(PipelineStage stage) {
        current = stage;
        listener.stageStart(seriesInstanceUid, stage);
    }

    private void ended(PipelineStage stage, long elapsedNanos) {
        nanos.put(stage, elapsedNanos);
        listener.stageEnd(seriesInstanceUid, stage, elapsedNanos);
    }

    private void stageFailed(PipelineStage stage, long elapsedNanos, Exception e) {
        failedStage = stage;
        nanos.put(stage, elapsedNanos);
        listener.stageFailed(seriesInstanceUid, stage, elapsedNanos, e);
    }
}
