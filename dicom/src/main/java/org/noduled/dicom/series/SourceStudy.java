package org.noduled.dicom.series;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import java.util.List;
import java.util.Objects;

/**
 * What a report about a series must copy from its source: the Patient and General Study modules (kept as
 * the toolkit's attribute list) and the list of source instances in sorted slice order. {@link
 * #patientAndStudy()} carries that list to the SR writer in {@code org.noduled.dicom.sr}; it is public only
 * because that is another package. No code outside the dicom module calls it.
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

    /**
     * Attributes of the Patient (PS3.3 C.7.1.1) and General Study (C.7.2.1) modules, plus Specific Character
     * Set and Timezone Offset From UTC, without which names and times cannot be read correctly.
     */
    private static final List<AttributeTag> COPIED = List.of(
            TagFromName.SpecificCharacterSet,
            TagFromName.TimezoneOffsetFromUTC,
            // Patient
            TagFromName.PatientName,
            TagFromName.PatientID,
            TagFromName.IssuerOfPatientID,
            TagFromName.IssuerOfPatientIDQualifiersSequence,
            TagFromName.TypeOfPatientID,
            TagFromName.PatientBirthDate,
            TagFromName.PatientBirthTime,
            TagFromName.PatientSex,
            TagFromName.QualityControlSubject,
            TagFromName.ReferencedPatientSequence,
            TagFromName.OtherPatientIDsSequence,
            TagFromName.OtherPatientNames,
            TagFromName.EthnicGroup,
            TagFromName.PatientComments,
            TagFromName.PatientSpeciesDescription,
            TagFromName.PatientSpeciesCodeSequence,
            TagFromName.PatientBreedDescription,
            TagFromName.PatientBreedCodeSequence,
            TagFromName.BreedRegistrationSequence,
            TagFromName.ResponsiblePerson,
            TagFromName.ResponsiblePersonRole,
            TagFromName.ResponsibleOrganization,
            TagFromName.PatientIdentityRemoved,
            TagFromName.DeidentificationMethod,
            TagFromName.DeidentificationMethodCodeSequence,
            // General Study
            TagFromName.StudyInstanceUID,
            TagFromName.StudyDate,
            TagFromName.StudyTime,
            TagFromName.ReferringPhysicianName,
            TagFromName.ReferringPhysicianIdentificationSequence,
            TagFromName.ConsultingPhysicianName,
            TagFromName.StudyID,
            TagFromName.AccessionNumber,
            TagFromName.IssuerOfAccessionNumberSequence,
            TagFromName.StudyDescription,
            TagFromName.PhysiciansOfRecord,
            TagFromName.NameOfPhysiciansReadingStudy,
            TagFromName.ProcedureCodeSequence,
            TagFromName.ReasonForPerformedProcedureCodeSequence,
            TagFromName.ReferencedStudySequence);

    /**
     * The study of a series from the header of one of its instances (all name the same patient and study)
     * and the instances in sorted slice order.
     */
    static SourceStudy of(AttributeList header, String seriesInstanceUid, List<SourceInstance> instances) {
        AttributeList patientAndStudy = new AttributeList();
        for (AttributeTag tag : COPIED) {
            Attribute attribute = header.get(tag);
            if (attribute != null) {
                patientAndStudy.put(attribute);
            }
        }
        String studyInstanceUid = Attribute.getSingleStringValueOrNull(header, TagFromName.StudyInstanceUID);
        return new SourceStudy(patientAndStudy, studyInstanceUid, seriesInstanceUid, instances);
    }

    /** Patient and General Study module attributes of the source; callers must not modify it. */
    public AttributeList patientAndStudy() {
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
