package org.noduled.dicom.series;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * What a written CT series says about its patient, study, series and equipment: everything the files carry
 * besides the voxels, geometry and UIDs of the {@code CtVolume}.
 *
 * @param patientName      DICOM person name, e.g. {@code PHANTOM^SEED 1}
 * @param patientSex       M, F or O
 * @param studyDateTime    study, series, acquisition and content date and time (no clock: output is reproducible)
 * @param imageComments    written to every image; say "synthetic, not for clinical use" for phantoms
 */
public record CtSeriesHeader(String patientName, String patientId, LocalDate patientBirthDate, String patientSex,
        String studyInstanceUid, String studyId, String accessionNumber, String studyDescription,
        LocalDateTime studyDateTime, int seriesNumber, String seriesDescription, String manufacturer,
        String modelName, String stationName, String institutionName, String imageComments) {

    public CtSeriesHeader {
        Objects.requireNonNull(patientName, "patientName");
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(patientBirthDate, "patientBirthDate");
        if (!patientSex.equals("M") && !patientSex.equals("F") && !patientSex.equals("O")) {
            throw new IllegalArgumentException("patient sex must be M, F or O, got " + patientSex);
        }
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(studyId, "studyId");
        Objects.requireNonNull(accessionNumber, "accessionNumber");
        Objects.requireNonNull(studyDescription, "studyDescription");
        Objects.requireNonNull(studyDateTime, "studyDateTime");
        Objects.requireNonNull(seriesDescription, "seriesDescription");
        Objects.requireNonNull(manufacturer, "manufacturer");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(stationName, "stationName");
        Objects.requireNonNull(institutionName, "institutionName");
        Objects.requireNonNull(imageComments, "imageComments");
    }
}
