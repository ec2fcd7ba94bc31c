package org.noduled.dicom.sr;

import com.pixelmed.dicom.CodedSequenceItem;
import org.noduled.dicom.DicomException;

/**
 * The coded concepts the measurement report uses, each from a standard coding scheme (DCM, SCT, LN, UCUM,
 * UMLS, RFC5646), so no private scheme needs declaring in the Coding Scheme Identification Sequence.
 */
enum SrCode {
    IMAGING_MEASUREMENT_REPORT("126000", "DCM", "Imaging Measurement Report"),
    LANGUAGE_OF_CONTENT("121049", "DCM", "Language of Content Item and Descendants"),
    ENGLISH_US("en-US", "RFC5646", "English (United States)"),
    OBSERVER_TYPE("121005", "DCM", "Observer Type"),
    DEVICE("121007", "DCM", "Device"),
    DEVICE_OBSERVER_UID("121012", "DCM", "Device Observer UID"),
    DEVICE_OBSERVER_NAME("121013", "DCM", "Device Observer Name"),
    DEVICE_OBSERVER_MANUFACTURER("121014", "DCM", "Device Observer Manufacturer"),
    DEVICE_OBSERVER_MODEL_NAME("121015", "DCM", "Device Observer Model Name"),
    DEVICE_OBSERVER_SERIAL_NUMBER("121016", "DCM", "Device Observer Serial Number"),
    PROCEDURE_REPORTED("121058", "DCM", "Procedure reported"),
    CT_CHEST("24627-2", "LN", "CT Chest"),
    IMAGE_LIBRARY("111028", "DCM", "Image Library"),
    IMAGE_LIBRARY_GROUP("126200", "DCM", "Image Library Group"),
    IMAGING_MEASUREMENTS("126010", "DCM", "Imaging Measurements"),
    MEASUREMENT_GROUP("125007", "DCM", "Measurement Group"),
    TRACKING_IDENTIFIER("112039", "DCM", "Tracking Identifier"),
    TRACKING_UID("112040", "DCM", "Tracking Unique Identifier"),
    FINDING("121071", "DCM", "Finding"),
    NODULE("27925004", "SCT", "Nodule"),
    FINDING_SITE("363698007", "SCT", "Finding Site"),
    LUNG("39607008", "SCT", "Lung"),
    ALGORITHM_NAME("111001", "DCM", "Algorithm Name"),
    ALGORITHM_VERSION("111003", "DCM", "Algorithm Version"),
    ALGORITHM_PARAMETERS("111002", "DCM", "Algorithm Parameters"),
    IMAGE_REGION("111030", "DCM", "Image Region"),
    OUTLINE("111041", "DCM", "Outline"),
    LONG_AXIS("103339001", "SCT", "Long Axis"),
    CERTAINTY_OF_FINDING("111012", "DCM", "Certainty of Finding"),
    MILLIMETER("mm", "UCUM", "millimeter"),
    PERCENT("%", "UCUM", "percent"),
    QUALITATIVE_EVALUATIONS("C0034375", "UMLS", "Qualitative Evaluations"),
    PRESENT("52101004", "SCT", "Present"),
    ABSENT("2667000", "SCT", "Absent");

    final String value;
    final String scheme;
    final String meaning;

    SrCode(String value, String scheme, String meaning) {
        this.value = value;
        this.scheme = scheme;
        this.meaning = meaning;
    }

    CodedSequenceItem item() {
        try {
            return new CodedSequenceItem(value, scheme, meaning);
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new IllegalStateException("constant code " + this + " cannot be encoded", e);
        }
    }

    /** Whether a content item's concept name or coded value is this code (the meaning is not compared). */
    boolean matches(CodedSequenceItem code) {
        return code != null && value.equals(code.getCodeValue()) && scheme.equals(code.getCodingSchemeDesignator());
    }
}
