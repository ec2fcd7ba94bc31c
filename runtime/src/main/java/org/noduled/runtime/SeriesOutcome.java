package org.noduled.runtime;

import java.util.Objects;
import org.noduled.detect.SeriesFindings;

/** How one series went through the pipeline: processed, or failed in a stage with a one-line reason. */
sealed interface SeriesOutcome {

    String seriesInstanceUid();

    PipelineTimings timings();

    /**
     * Every stage ran.
     *
     * @param findings every finding at or above the card's score threshold
     * @param slabs    slab windows the model ran on
     * @param report   the SR and where it went
     */
    record Processed(String seriesInstanceUid, SeriesFindings findings, int slabs, ReportedSeries report,
            PipelineTimings timings) implements SeriesOutcome {

        public Processed {
            Objects.requireNonNull(findings, "findings");
            Objects.requireNonNull(report, "report");
            Objects.requireNonNull(timings, "timings");
        }
    }

    /**
     * A stage failed; the series produced nothing (no SR, no findings.json).
     *
     * @param reason what went wrong and what to do, one line, no PHI beyond file names under the input
     */
    record Failed(String seriesInstanceUid, PipelineStage stage, String reason, PipelineTimings timings)
            implements SeriesOutcome {

        public Failed {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(timings, "timings");
        }
    }
}
