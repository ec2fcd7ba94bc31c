package org.noduled.dicom.series;

import com.pixelmed.dicom.AttributeList;
import java.util.List;

/** Lets tests of other packages (the SR writer's) make a {@link SourceStudy}, whose constructor is package-private. */
public final class TestStudies {

    private TestStudies() {
    }

    public static SourceStudy of(AttributeList patientAndStudy, String studyInstanceUid, String seriesInstanceUid,
            List<SourceInstance> instances) {
        return new SourceStudy(patientAndStudy, studyInstanceUid, seriesInstanceUid, instances);
    }
}
