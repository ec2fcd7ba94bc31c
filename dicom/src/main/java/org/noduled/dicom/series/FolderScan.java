package org.noduled.dicom.series;

import java.util.List;
import java.util.stream.Collectors;
import org.noduled.dicom.DicomException;
import org.noduled.preprocess.ShortUid;

/** What a scan found: the series (ordered by their first file) and every file it skipped, with the reason. */
public record FolderScan(List<SeriesFiles> series, List<SkippedFile> skipped) {

    public FolderScan {
        series = List.copyOf(series);
        skipped = List.copyOf(skipped);
    }

    /**
     * The one series that these files must hold (as a spool folder of one received series does). Fails when
     * they hold none or several, or when a file that looked like DICOM could not be read: a volume assembled
     * without it could be missing a slice.
     */
    public SeriesFiles onlySeries() throws DicomException {
        List<SkippedFile> damaged = skipped.stream().filter(SkippedFile::damaged).toList();
        if (!damaged.isEmpty()) {
            throw new DicomException(damaged.size() + " file(s) could not be read, so the series may be incomplete: "
                    + damaged.get(0).reason());
        }
        if (series.size() != 1) {
            throw new DicomException(series.isEmpty()
                    ? "no DICOM image files found (" + skipped.size() + " other file(s) skipped)"
                    : "expected one series but found " + series.size() + ": " + series.stream()
                            .map(s -> ShortUid.of(s.seriesInstanceUid())).collect(Collectors.joining(", ")));
        }
        return series.get(0);
    }
}
