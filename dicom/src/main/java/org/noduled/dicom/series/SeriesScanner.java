package org.noduled.dicom.series;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.noduled.dicom.DicomException;

/**
 * Finds the DICOM files under some files and folders, reads their headers (not their pixels) in parallel and
 * groups them by Series Instance UID. Files that are not DICOM, or cannot be read, are listed as skipped;
 * they never stop the scan.
 */
public final class SeriesScanner {

    private final ExecutorService pool;

    /** @param pool the threads that read headers; the caller owns it (and shuts it down) */
    public SeriesScanner(ExecutorService pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Scans the given files, and the files under the given folders (recursively), in file-name order. */
    public FolderScan scan(Collection<Path> roots) throws IOException {
        List<Path> files = regularFilesUnder(roots);
        List<Callable<Outcome>> tasks = files.stream().<Callable<Outcome>>map(f -> () -> classify(f)).toList();
        Map<String, List<SliceHeader>> bySeries = new LinkedHashMap<>();
        List<SkippedFile> skipped = new ArrayList<>();
        for (Outcome outcome : runAll(tasks)) {
            if (outcome.skipped() != null) {
                skipped.add(outcome.skipped());
            } else {
                bySeries.computeIfAbsent(outcome.header().seriesInstanceUid(), uid -> new ArrayList<>())
                        .add(outcome.header());
            }
        }
        List<SeriesFiles> series = new ArrayList<>();
        bySeries.forEach((uid, headers) -> series.add(new SeriesFiles(uid, headers)));
        return new FolderScan(series, skipped);
    }

    private static List<Path> regularFilesUnder(Collection<Path> roots) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                throw new java.nio.file.NoSuchFileException(root.toString());
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile).sorted().forEach(files::add);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return files.stream().distinct().toList();
    }

    private static Outcome classify(Path file) {
        try {
            SliceHeaderReader.FileHead head = SliceHeaderReader.FileHead.of(file);
            if (!head.isPart10()) {
                return Outcome.skip(file, "not a DICOM Part 10 file (no 'DICM' after a 128-byte preamble)", false);
            }
            SliceHeader header = SliceHeaderReader.read(head);
            String mediaClass = Attribute.getSingleStringValueOrNull(header.attributes(),
                    TagFromName.MediaStorageSOPClassUID);
            if (SOPClass.MediaStorageDirectoryStorage.equals(mediaClass)) {
                return Outcome.skip(file, "DICOMDIR (an index of a medium, not an image)", false);
            }
            if (header.seriesInstanceUid() == null) {
                return Outcome.skip(file, "file " + file.getFileName()
                        + " has no Series Instance UID, so it belongs to no series; resend it from the source", true);
            }
            return new Outcome(header, null);
        } catch (DicomException e) {
            return Outcome.skip(file, e.getMessage(), true);
        } catch (IOException | RuntimeException e) {
            return Outcome.skip(file, "file " + file.getFileName() + " could not be read: " + e, true);
        }
    }

    private List<Outcome> runAll(List<Callable<Outcome>> tasks) throws IOException {
        try {
            List<Outcome> outcomes = new ArrayList<>(tasks.size());
            for (Future<Outcome> f : pool.invokeAll(tasks)) {
                outcomes.add(f.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("scan interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException("header reading failed unexpectedly", e.getCause());
        }
    }

    /** Either a readable header or the reason a file was skipped. */
    private record Outcome(SliceHeader header, SkippedFile skipped) {
        static Outcome skip(Path file, String reason, boolean damaged) {
            return new Outcome(null, new SkippedFile(file, reason, damaged));
        }
    }
}
