package org.noduled.dicom.series;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The series made of exactly {@code files}, with the headers earlier scans read ({@code parts}), so a series
     * whose headers were read while it arrived is not read again. Every file must be in a part, of one series.
     */
    public static SeriesFiles of(Collection<SeriesFiles> parts, Collection<Path> files) {
        Map<Path, SliceHeader> byFile = new HashMap<>();
        for (SeriesFiles part : parts) {
            for (SliceHeader header : part.headers) {
                byFile.put(header.file(), header);
            }
        }
        List<SliceHeader> chosen = new ArrayList<>();
        for (Path file : files) {
            SliceHeader header = byFile.get(file);
            if (header == null) {
                throw new IllegalArgumentException(file + " was not read by any of the scans given");
            }
            chosen.add(header);
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("a series needs at least one file");
        }
        String uid = chosen.get(0).seriesInstanceUid();
        if (chosen.stream().anyMatch(h -> !uid.equals(h.seriesInstanceUid()))) {
            throw new IllegalArgumentException("the files belong to more than one series");
        }
        return new SeriesFiles(uid, chosen);
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
