package org.noduled.dicom;

/** The dicom module's one exception: what went wrong with a DICOM object or peer, and what to do about it. */
public class DicomException extends RuntimeException {

    public DicomException(String message) {
        super(message);
    }

    public DicomException(String message, Throwable cause) {
        super(message, cause);
    }
}
