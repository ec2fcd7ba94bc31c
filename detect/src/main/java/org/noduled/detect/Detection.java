package org.noduled.detect;

import java.util.Objects;

/** What one detection produced: the findings and how long each stage took. */
public record Detection(SeriesFindings findings, StageTimings timings) {

    public Detection {
        Objects.requireNonNull(findings, "findings");
        Objects.requireNonNull(timings, "timings");
    }
}
