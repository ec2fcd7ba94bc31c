package org.noduled.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.noduled.dicom.DurableFile;
import org.noduled.dicom.series.SeriesAssembler;
import org.noduled.dicom.series.SeriesScanner;
import org.noduled.preprocess.ShortUid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drop folder feeding the pipeline: each complete series is processed; its files are then deleted (the
 * node is not an archive: the PACS has the images) or, when it failed, moved to the failed folder under its
 * series UID with the reason beside them, so nothing a sender dropped is lost.
 */
final class Intake {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);
    static final String REASON_FILE = "reason.txt";

    private final DropFolder drop;
    private final SeriesPipeline pipeline;
    private final SeriesScanner scanner;
    private final SeriesAssembler assembler;
    private final Path failedFolder;

    Intake(DropFolder drop, SeriesPipeline pipeline, SeriesScanner scanner, SeriesAssembler assembler, Path failedFolder) {
        this.drop = Objects.requireNonNull(drop, "drop");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.scanner = Objects.requireNonNull(scanner, "scanner");
        this.assembler = Objects.requireNonNull(assembler, "assembler");
        this.failedFolder = Objects.requireNonNull(failedFolder, "failedFolder");
    }

    /** One look at the drop folder; every series complete now goes through the pipeline. */
    List<SeriesOutcome> step() throws IOException {
        List<SeriesOutcome> outcomes = new ArrayList<>();
        for (DropFolder.CompleteSeries series : drop.poll()) {
            // Arrival is outside the latency budget (which starts at "complete"), but it is what a radiologist
            // waits through first; the wait after the last file shows whether the idle timeout is set well.
            LOG.info("series {}: {} file(s) arrived over {} ms; complete {} ms after the last ({})",
                    ShortUid.of(series.seriesInstanceUid()), series.files().size(), series.arrivalSpan().toMillis(),
                    series.waitedAfterLast().toMillis(), series.completion().label());
            // A released series' headers were read while it arrived (streaming the header parse out of the
            // latency); dropped files may have changed since the drop folder read them, so load reads them again.
            SeriesOutcome outcome = series.reusableHeaders().isPresent()
                    ? pipeline.process(series.reusableHeaders().get())
                    : pipeline.process(series.seriesInstanceUid(),
                            () -> assembler.assemble(scanner.scan(series.files()).onlySeries()));
            try {
                if (outcome instanceof SeriesOutcome.Failed failed) {
                    LOG.error("series {} failed in {}: {}; its {} file(s) are in {}",
                            ShortUid.of(failed.seriesInstanceUid()), failed.stage().label(), failed.reason(),
                            series.files().size(), keepFailed(series, failed.reason()));
                } else {
                    for (Path f : processedFiles(series)) {
                        Files.deleteIfExists(f);
                    }
                }
            } finally {
                // forgotten even when moving or deleting its files failed: the files still there are found
                // again as a new arrival, and what was read of them is let go
                drop.forget(series);
            }
            outcomes.add(outcome);
        }
        return outcomes;
    }

    /**
     * Steps every {@code pollInterval}, and at once when a sender releases an association, until {@code stop} is
     * counted down (seen within one poll interval). A series in progress finishes first (a
     * stop never moves a half-processed series to the failed folder); a failing step is logged, not fatal.
     */
    void run(Duration pollInterval, CountDownLatch stop) throws InterruptedException {
        while (stop.getCount() > 0) {
            try {
                step();
            } catch (IOException | RuntimeException e) {
                LOG.error("drop folder: {}; trying again in {} ms", FailureReason.of(e), pollInterval.toMillis());
            }
            if (stop.getCount() > 0) {
                drop.awaitActivity(pollInterval); // a release wakes it at once
            }
        }
    }

    /**
     * The series' files that are still the ones processed. A file a sender replaced meanwhile is left where it
     * is: once the series is forgotten it is a new arrival, and nothing a sender was told is stored is lost.
     */
    private List<Path> processedFiles(DropFolder.CompleteSeries series) throws IOException {
        List<Path> processed = new ArrayList<>();
        for (Path f : series.files()) {
            if (drop.unchangedSinceRead(f)) {
                processed.add(f);
            } else if (Files.exists(f)) {
                LOG.warn("series {}: {} was replaced while the series was processed; the new file is kept and "
                        + "taken as a new arrival", ShortUid.of(series.seriesInstanceUid()), f.getFileName());
            }
        }
        return processed;
    }

    private Path keepFailed(DropFolder.CompleteSeries series, String reason) throws IOException {
        Path target = failedFolder.resolve(series.seriesInstanceUid().replaceAll("[^0-9.]", "_"));
        Files.createDirectories(target);
        for (Path f : processedFiles(series)) {
            Path to = target.resolve(f.getFileName());
            for (int n = 1; Files.exists(to); n++) {
                to = target.resolve(n + "-" + f.getFileName());
            }
            Files.move(f, to); // not atomic: the failed folder may be on another file system
        }
        // whole or not at all: whoever watches the failed folder never reads a half-written reason
        DurableFile.write(target.resolve(REASON_FILE),
                (reason + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
        return target;
    }
}
