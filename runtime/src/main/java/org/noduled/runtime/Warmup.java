package org.noduled.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.noduled.detect.Detector;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.series.SeriesAssembler;
import org.noduled.dicom.series.SeriesScanner;
import org.noduled.preprocess.phantom.PhantomSpec;

/**
 * Runs a synthetic series through the whole pipeline before the node takes real ones, so that the first
 * patient's series does not pay for class loading and JIT compilation. Measured here with the previous model and
 * 120-slice warm-up series, a node's first 512x512x300 series received by C-STORE: 1171-1364 ms without warm-up,
 * 516-672 ms after 2 runs, 491-506 ms after 4; about 400 ms once warm. Nothing leaves the node: the warm-up's
 * reports go to a temporary folder, never to the outbox or the output folder, and the folder is deleted.
 *
 * <p>The warm-up series is full size. With 120 slices the first real series still spent 130-160 ms in
 * preprocessing (70-90 ms once warm): the heap grew and its new pages were touched for the first time on the
 * patient's series. With the current model, 4 runs of 120 slices left that series at 551-604 ms; 4 runs of 300
 * slices at 432-555 ms in 12 starts (median 511 ms), for 5.4-6.2 s of start-up instead of about 3 s.
 */
final class Warmup {

    /** A typical chest CT's size, 512x512x300: the heap and the caches reach what a patient's series needs. */
    static final PhantomSpec SERIES = PhantomSpec.defaults(424242);

    private Warmup() {
    }

    /** Writes the synthetic series once and runs it {@code runs} times; returns the time it all took. */
    static Duration run(Detector detector, ExecutorService pool, LatencyBudget budget, int runs)
            throws IOException, DicomException {
        long start = System.nanoTime();
        Path scratch = Files.createTempDirectory("noduled-warmup");
        try {
            Path series = scratch.resolve("series");
            PhantomDicom.write(SERIES, series, detector.config().intraOpThreads());
            OutputFolder output = new OutputFolder(scratch.resolve("output"));
            SeriesReporter reporter = new SeriesReporter(NodeDevice.reportBuilder("noduled-warmup",
                    Clock.systemUTC()), detector.card().decode().operatingPointScore(), output, null);
            SeriesScanner scanner = new SeriesScanner(pool);
            SeriesPipeline pipeline = new SeriesPipeline(new SeriesAssembler(pool), detector, reporter, output,
                    budget, System::nanoTime, PipelineListener.NONE);
            for (int run = 0; run < runs; run++) {
                SeriesOutcome outcome = pipeline.process(scanner.scan(List.of(series)).onlySeries());
                if (outcome instanceof SeriesOutcome.Failed failed) {
                    throw new IOException("the warm-up series failed in " + failed.stage().label() + ": "
                            + failed.reason());
                }
            }
        } finally {
            PipelineBench.deleteTree(scratch);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
