package org.noduled.detect;

import java.util.Objects;

/**
 * What one detection produced.
 *
 * @param findings the findings, for the SR and findings.json
 * @param timings  how long each stage took
 * @param slabs    slab windows the model ran on (slab positions x in-plane tiles), for latency logs
 */
public record Detection(SeriesFindings findings, StageTimings timings, int slabs) {

    public Detection {
        Objects.requireNonNull(findings, "findings");
        Objects.requireNonNull(timings, "timings");
    }
}
