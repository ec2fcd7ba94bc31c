package org.noduled.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.noduled.detect.Detector;
import org.noduled.detect.DetectorConfig;
import org.noduled.dicom.series.SeriesAssembler;
import org.noduled.dicom.series.SeriesScanner;
import org.noduled.preprocess.phantom.Phantom;
import org.noduled.preprocess.phantom.PhantomSpec;

/**
 * Phantoms with known nodules through the Java pipeline (written as DICOM, scanned, loaded, preprocessed,
 * detected, reported), tallied at the card's operating point: the check that the runtime's preprocessing and
 * decoding match what the model was trained and measured with; and the FROC curve over every finding's
 * score, as the card's CPM is measured. Synthetic, not for clinical use.
 */
final class AccuracyBench {

    private AccuracyBench() {
    }

    /**
     * @param template phantom grid and knobs; each series uses it with seed {@code firstSeed + n}
     * @param progress one line per series
     */
    static AccuracyResult run(Path card, DetectorConfig config, PhantomSpec template, long firstSeed, int count,
            Consumer<String> progress) throws IOException, org.noduled.dicom.DicomException {
        ExecutorService pool = IngestThreads.start(config.intraOpThreads());
        Path scratch = Files.createTempDirectory("noduled-accuracy-");
        try (Detector detector = Detector.open(card, config, System::nanoTime)) {
            double op = detector.card().decode().operatingPointScore();
            LatencyBudget budget = new LatencyBudget(LatencyBudget.DEFAULT_MILLIS);
            SeriesReporter reporter = new SeriesReporter(NodeDevice.reportBuilder("accuracy", Clock.systemUTC()), op,
                    null, null);
            SeriesPipeline pipeline = new SeriesPipeline(new SeriesAssembler(pool), detector, reporter, null, budget,
                    System::nanoTime, PipelineListener.NONE);
            SeriesScanner scanner = new SeriesScanner(pool);
            FrocTally froc = FrocTally.empty(CardFigures.MIN_DIAMETER_MM);
            for (int n = 0; n < count; n++) {
                long seed = firstSeed + n;
                Path dir = Files.createDirectory(scratch.resolve("seed-" + seed));
                Phantom phantom = PhantomDicom.write(template.withSeed(seed), dir, config.intraOpThreads());
                SeriesOutcome outcome = pipeline.process(scanner.scan(List.of(dir)).onlySeries());
                deleteSeries(dir);
                if (outcome instanceof SeriesOutcome.Failed f) {
                    throw new IllegalStateException("phantom seed " + seed + " failed in " + f.stage().label() + ": "
                            + f.reason());
                }
                SeriesOutcome.Processed p = (SeriesOutcome.Processed) outcome;
                AccuracyTally before = froc.at(op);
                froc = froc.plus(phantom.nodules(), p.findings().findings());
                AccuracyTally tally = froc.at(op);
                progress.accept(String.format(Locale.ROOT, "seed %d: %d nodule(s) >= %.0f mm, %d found, %d false "
                        + "positive(s) at score %.4g; %d finding(s) in all; %.0f ms", seed, tally.nodules() - before.nodules(),
                        tally.minDiameterMm(), tally.found() - before.found(),
                        tally.falsePositives() - before.falsePositives(), op, p.findings().findings().size(),
                        p.timings().totalMillis()));
            }
            return new AccuracyResult(froc.at(op), froc);
        } finally {
            pool.shutdownNow();
            Files.deleteIfExists(scratch);
        }
    }

    private static void deleteSeries(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
