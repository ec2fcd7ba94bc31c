package org.noduled.dicom;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The instances of one series found by a scan, with their headers already read, in file-name order. */
public final class SeriesFiles {

    private final String seriesInstanceUid;
    private final List<SliceHeader> headers;

    SeriesFiles(String seriesInstanceUid, List<SliceHeader> headers) {
        this.seriesInstanceUid = Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        this.headers = List.copyOf(headers);
        if (this.headers.isEmpty()) {
            throw new IllegalArgumentException("a series needs at least one file");
        }
    }

    public String seriesInstanceUid() {
        return seriesInstanceUid;
    }

    /** Files of the series, in the order the scan found them (not slice order). */
    public List<Path> files() {
        return headers.stream().map(SliceHeader::file).toList();
    }

    public int fileCount() {
        return headers.size();
    }

    /** Modality of the first file, or null; for reports that must say what a refused series was. */
    public String modality() {
        return headers.get(0).modality();
    }

    List<SliceHeader> headers() {
        return headers;
    }
}
