package org.noduled.dicom.series;

import java.util.List;
import java.util.Objects;
import org.noduled.preprocess.CtVolume;

/**
 * A series read from DICOM files: its HU volume, what a report must copy from its source, and the warnings
 * noticed on the way (problems that were repaired without changing the volume, e.g. an identical duplicate).
 */
public record IngestedSeries(CtVolume volume, SourceStudy study, List<String> warnings) {

    public IngestedSeries {
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(study, "study");
        warnings = List.copyOf(warnings);
    }
}
