package org.noduled.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The output folder's layout: one folder per series named by its Series Instance UID (digits and dots,
 * safe in any file system and free of patient information), holding {@value #FINDINGS} and {@value #SR}.
 */
record OutputFolder(Path root) {

    static final String FINDINGS = "findings.json";
    static final String SR = "sr.dcm";

    OutputFolder {
        Objects.requireNonNull(root, "root");
    }

    Path series(String seriesInstanceUid) {
        if (!seriesInstanceUid.matches("[0-9.]{1,64}")) {
            // Ingest only passes UIDs it read; a malformed one must not become a path like "../x".
            throw new IllegalArgumentException("series UID '" + seriesInstanceUid + "' is not a DICOM UID (digits and"
                    + " dots, at most 64 characters); no output folder can be named after it");
        }
        return root.resolve(seriesInstanceUid);
    }

    Path srFile(String seriesInstanceUid) {
        return series(seriesInstanceUid).resolve(SR);
    }

    Path findingsFile(String seriesInstanceUid) {
        return series(seriesInstanceUid).resolve(FINDINGS);
    }
}
