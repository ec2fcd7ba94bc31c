package org.noduled.dicom;

import com.pixelmed.dicom.AttributeList;
import java.util.List;
import java.util.Objects;

/**
 * What a report about a series must copy from its source: the Patient and General Study modules (kept as
 * the toolkit's attribute list, visible only inside this package) and the list of source instances in
 * sorted slice order.
 */
public final class SourceStudy {

    private final AttributeList patientAndStudy;
    private final String studyInstanceUid;
    private final String seriesInstanceUid;
    private final List<SourceInstance> instances;

    SourceStudy(AttributeList patientAndStudy, String studyInstanceUid, String seriesInstanceUid,
            List<SourceInstance> instances) {
        this.patientAndStudy = Objects.requireNonNull(patientAndStudy, "patientAndStudy");
        this.studyInstanceUid = Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        this.seriesInstanceUid = Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        this.instances = List.copyOf(instances);
    }

    /** Patient and General Study module attributes of the source; callers must not modify it. */
    AttributeList patientAndStudy() {
        return patientAndStudy;
    }

    public String studyInstanceUid() {
        return studyInstanceUid;
    }

    public String seriesInstanceUid() {
        return seriesInstanceUid;
    }

    /** Source instances in sorted slice order (index k of the volume is instance k). */
    public List<SourceInstance> instances() {
        return instances;
    }
}
