package org.noduled.dicom.series;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file a scan did not take into any series, and why. {@code damaged} files looked like DICOM but could
 * not be read (a series may be missing a slice because of them); the others are simply not CT images
 * (a README, a DICOMDIR).
 */
public record SkippedFile(Path file, String reason, boolean damaged) {

    public SkippedFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
    }
}
