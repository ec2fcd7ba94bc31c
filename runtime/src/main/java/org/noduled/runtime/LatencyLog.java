package org.noduled.runtime;

import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Consumer;
import org.noduled.preprocess.ShortUid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latency log: one line per series with its shortened UID, each stage's milliseconds, the total and
 * the verdict against the budget. A pipeline listener, so the pipeline's clock is the only clock. UIDs
 * carry no patient information; nothing else about the series is logged (a failure line names the stage,
 * not the reason, since reasons may name files: the caller reports those where it reports failures).
 */
final class LatencyLog implements PipelineListener {

    private static final Logger LOG = LoggerFactory.getLogger(LatencyLog.class);

    private final LatencyBudget budget;
    private final Consumer<String> sink;

    /** @param sink where each line goes (the log at INFO in production; a list in tests) */
    LatencyLog(LatencyBudget budget, Consumer<String> sink) {
        this.budget = Objects.requireNonNull(budget, "budget");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Lines to the {@code org.noduled.runtime.LatencyLog} logger at INFO. */
    static LatencyLog toLog(LatencyBudget budget) {
        return new LatencyLog(budget, LOG::info);
    }

    @Override
    public void seriesDone(String seriesInstanceUid, PipelineTimings timings) {
        sink.accept(line(seriesInstanceUid, timings) + "; " + budget.verdict(timings.totalMillis()));
    }

    @Override
    public void seriesFailed(String seriesInstanceUid, PipelineStage failedStage, PipelineTimings timings,
            Exception failure) {
        sink.accept(line(seriesInstanceUid, timings) + "; FAILED in " + failedStage.label());
    }

    /** "series 1.2.826.…345678 latency: load 1.0 ms, preprocess 1.0 ms, ...; total 5.0 ms". */
    static String line(String seriesInstanceUid, PipelineTimings timings) {
        return "series " + ShortUid.of(seriesInstanceUid) + " latency: " + stages(timings)
                + String.format(Locale.ROOT, "; total %.1f ms", timings.totalMillis());
    }

    /** "load 1.0 ms, preprocess 1.0 ms, ..." over the stages that ran, in pipeline order. */
    static String stages(PipelineTimings timings) {
        StringJoiner stages = new StringJoiner(", ");
        for (PipelineStage stage : PipelineStage.values()) {
            if (timings.ran(stage)) {
                stages.add(String.format(Locale.ROOT, "%s %.1f ms", stage.label(), timings.millis(stage)));
            }
        }
        return stages.toString();
    }
}
