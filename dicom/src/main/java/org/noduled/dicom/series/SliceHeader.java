package org.noduled.dicom.series;

import com.pixelmed.dicom.AttributeList;
import java.nio.file.Path;

/**
 * What noduled needs from one CT image's header, read without its pixels. Values the file does not carry
 * are null (arrays and boxed numbers) so that the assembler can name exactly what is missing.
 *
 * <p>Positions and spacings are in millimetres, directions are the DICOM LPS direction cosines as stored
 * (not yet normalised). {@code attributes} is the toolkit's parse of the whole header, kept for the
 * Patient and General Study modules that a report copies.
 */
record SliceHeader(
        Path file,
        long fileSizeBytes,
        String transferSyntaxUid,
        String sopClassUid,
        String sopInstanceUid,
        String seriesInstanceUid,
        String studyInstanceUid,
        String modality,
        String frameOfReferenceUid,
        Integer instanceNumber,
        PixelFormat format,
        double[] imagePositionMm,
        double[] imageOrientation,
        double[] pixelSpacingMm,
        Double rescaleSlope,
        Double rescaleIntercept,
        Double gantryTiltDegrees,
        PixelDataLocation pixelData,
        AttributeList attributes) {

    /** How messages name this slice: by Instance Number when it has one, and always by file name. */
    String label() {
        String name = file.getFileName().toString();
        return instanceNumber == null ? "file " + name : "instance " + instanceNumber + " (" + name + ")";
    }

    PixelEncoding encoding() {
        return PixelEncoding.of(transferSyntaxUid);
    }
}
