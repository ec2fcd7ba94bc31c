package org.noduled.detect;

import java.util.List;
import java.util.Objects;

/** Everything the detector concluded about one series; an empty list means it found no nodule. */
public record SeriesFindings(String seriesInstanceUid, String frameOfReferenceUid, ModelIdentity model,
        List<Finding> findings) {

    public SeriesFindings {
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(frameOfReferenceUid, "frameOfReferenceUid");
        Objects.requireNonNull(model, "model");
        findings = List.copyOf(findings);
    }
}
