package org.noduled.dicom;

import org.noduled.preprocess.ShortUid;

/**
 * The one exception of the dicom module: a DICOM input or output that noduled cannot use. The message is
 * written for the hospital IT person who reads it: what is wrong, with which series (by shortened UID) or
 * file, and what to do about it.
 */
public final class DicomException extends Exception {

    public DicomException(String message) {
        super(message);
    }

    public DicomException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A problem with a whole series: the message starts with the series' shortened UID. */
    public static DicomException forSeries(String seriesInstanceUid, String problem) {
        return new DicomException("series " + ShortUid.of(seriesInstanceUid) + ": " + problem);
    }
}
