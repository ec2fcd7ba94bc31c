package org.noduled.dicom.sr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.DurableFile;
import org.noduled.preprocess.ShortUid;

/**
 * One encoded SR (DICOM Part 10, explicit VR little endian) ready to be put in the outbox or copied to an
 * output folder. Immutable.
 */
public final class MeasurementReport {

    private final String sopInstanceUid;
    private final String seriesInstanceUid;
    private final String sourceSeriesInstanceUid;
    private final int findingCount;
    private final byte[] part10;

    MeasurementReport(String sopInstanceUid, String seriesInstanceUid, String sourceSeriesInstanceUid,
            int findingCount, byte[] part10) {
        this.sopInstanceUid = Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        this.seriesInstanceUid = Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        this.sourceSeriesInstanceUid = Objects.requireNonNull(sourceSeriesInstanceUid, "sourceSeriesInstanceUid");
        this.findingCount = findingCount;
        this.part10 = part10.clone();
    }

    /** SOP Instance UID: derived from (source series, model SHA-256), the same every time that pair is reported. */
    public String sopInstanceUid() {
        return sopInstanceUid;
    }

    /** Series Instance UID of the SR series. */
    public String seriesInstanceUid() {
        return seriesInstanceUid;
    }

    /** The CT series the report is about. */
    public String sourceSeriesInstanceUid() {
        return sourceSeriesInstanceUid;
    }

    public int findingCount() {
        return findingCount;
    }

    /** Size of the encoded file, bytes. */
    public int sizeBytes() {
        return part10.length;
    }

    /**
     * Writes the SR to {@code file} so that a crash leaves either the old file or the whole new one: temporary
     * file beside it, fsync, atomic rename, fsync of the folder. Creates missing parent folders.
     *
     * @throws DicomException if the disk refuses (full, read-only, missing permission)
     */
    public void writeTo(Path file) throws DicomException {
        try {
            DurableFile.write(file, part10);
        } catch (IOException e) {
            throw new DicomException("could not write the SR for series " + ShortUid.of(sourceSeriesInstanceUid)
                    + " to " + file + ": " + e + "; check free space and permissions of that folder", e);
        }
    }

    /** The encoded file; callers must not modify it. */
    public byte[] bytes() {
        return part10;
    }
}
