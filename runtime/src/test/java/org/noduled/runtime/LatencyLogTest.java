package org.noduled.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.detect.Detector;
import org.noduled.detect.DetectorConfig;
import org.noduled.detect.Stage;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.series.SeriesAssembler;
import org.noduled.dicom.series.SeriesScanner;

/** The latency log against a fake clock: exact per-stage milliseconds, total and verdict. */
class LatencyLogTest {

    private static final String UID = "1.2.826.0.1.3680043.8.498.12345678";
    private static final long MS = 1_000_000;

    private final AtomicLong now = new AtomicLong();
    private final List<String> lines = new ArrayList<>();

    /** Stages that take given times on the fake clock; the detector's three report their own elapsed time. */
    private SeriesOutcome run(LatencyBudget budget, long loadMs, long preprocessMs, long inferMs, long decodeMs,
            long reportMs) {
        SeriesChain chain = new SeriesChain(UID, now::get, new LatencyLog(budget, lines::add));
        try {
            chain.run(PipelineStage.LOAD, () -> now.addAndGet(loadMs * MS));
            chain.delegate(stages -> {
                stages.stageStart(UID, Stage.PREPROCESS);
                stages.stageEnd(UID, Stage.PREPROCESS, preprocessMs * MS);
                stages.stageStart(UID, Stage.INFER);
                stages.stageEnd(UID, Stage.INFER, inferMs * MS);
                stages.stageStart(UID, Stage.DECODE);
                stages.stageEnd(UID, Stage.DECODE, decodeMs * MS);
                return null;
            });
            chain.run(PipelineStage.REPORT, () -> now.addAndGet(reportMs * MS));
            return chain.done(new SeriesOutcome.Processed(UID, new org.noduled.detect.SeriesFindings(UID, "1.2.3",
                    new org.noduled.detect.ModelIdentity("m", "1", "v", "0".repeat(64)), List.of()), 1,
                    new ReportedSeries("2.25.1", 0, null, false), chain.timings()));
        } catch (Exception e) {
            return chain.fail(e);
        }
    }

    @Test
    void seriesAtExactlyTheBudget_logsEveryStageAndWithin() {
        run(new LatencyBudget(500), 120, 80, 250, 5, 45);

        assertEquals(List.of("series 1.2.826.…345678 latency: load 120.0 ms, preprocess 80.0 ms, infer 250.0 ms, "
                + "decode 5.0 ms, report 45.0 ms; total 500.0 ms; within the 500 ms budget"), lines);
    }

    @Test
    void seriesOneMillisecondOver_logsOverByOne() {
        run(new LatencyBudget(500), 121, 80, 250, 5, 45);

        assertEquals(1, lines.size());
        assertTrue(lines.get(0).endsWith("; total 501.0 ms; OVER the 500 ms budget by 1.0 ms"), lines.get(0));
    }

    @Test
    void configuredBudget_isTheOneJudged() {
        run(new LatencyBudget(250), 100, 50, 50, 50, 10);

        assertTrue(lines.get(0).endsWith("; total 260.0 ms; OVER the 250 ms budget by 10.0 ms"), lines.get(0));
    }

    @Test
    void failedStage_logsTheStagesThatRanAndWhereItFailed() {
        SeriesChain chain = new SeriesChain(UID, now::get, new LatencyLog(new LatencyBudget(500), lines::add));
        SeriesOutcome outcome;
        try {
            chain.run(PipelineStage.LOAD, () -> now.addAndGet(40 * MS));
            chain.delegate(stages -> {
                stages.stageStart(UID, Stage.PREPROCESS);
                IllegalStateException e = new IllegalStateException("no lungs");
                stages.stageFailed(UID, Stage.PREPROCESS, 7 * MS, e);
                throw e;
            });
            outcome = null;
        } catch (Exception e) {
            outcome = chain.fail(e);
        }

        assertEquals(List.of("series 1.2.826.…345678 latency: load 40.0 ms, preprocess 7.0 ms; total 47.0 ms; "
                + "FAILED in preprocess"), lines);
        SeriesOutcome.Failed failed = (SeriesOutcome.Failed) outcome;
        assertEquals(PipelineStage.PREPROCESS, failed.stage());
        assertEquals("no lungs (IllegalStateException)", failed.reason());
    }

    @Test
    void budget_mustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new LatencyBudget(0));
        assertThrows(IllegalArgumentException.class, () -> new LatencyBudget(Double.NaN));
    }

    /**
     * The real pipeline (tiny model, a small phantom) on a clock that advances 1 ms per read: every stage,
     * the detector's included, reads it exactly twice, so each lasts exactly 1 ms whatever the machine does.
     */
    @Test
    void realPipeline_everyStageTimedOnThePipelineClock(@TempDir Path dir) throws Exception {
        Path card = Fixtures.tinyModel(dir.resolve("model"));
        Path series = Fixtures.smallPhantom(dir.resolve("series"), 5, 1);
        AtomicLong ticks = new AtomicLong();
        java.util.function.LongSupplier clock = () -> ticks.getAndAdd(MS);
        ExecutorService pool = IngestThreads.start(2);
        try (Detector detector = Detector.open(card, DetectorConfig.defaults(), clock)) {
            LatencyBudget budget = new LatencyBudget(4);
            SeriesReporter reporter = new SeriesReporter(NodeDevice.reportBuilder("test-node",
                    Clock.fixed(Instant.parse("2024-01-01T08:00:00Z"), ZoneOffset.UTC)), 0.5, null, null);
            SeriesPipeline pipeline = new SeriesPipeline(new SeriesAssembler(pool), detector, reporter, null, budget,
                    clock, new LatencyLog(budget, lines::add));
            SeriesOutcome outcome = pipeline.process(new SeriesScanner(pool).scan(List.of(series)).onlySeries());

            assertTrue(outcome instanceof SeriesOutcome.Processed, outcome.toString());
            assertEquals(1, lines.size());
            assertTrue(lines.get(0).endsWith(" latency: load 1.0 ms, preprocess 1.0 ms, infer 1.0 ms, decode 1.0 ms, "
                    + "report 1.0 ms; total 5.0 ms; OVER the 4 ms budget by 1.0 ms"), lines.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void realPipeline_loadFailure_isAFailedOutcomeNotAnException(@TempDir Path dir) throws Exception {
        Path card = Fixtures.tinyModel(dir.resolve("model"));
        ExecutorService pool = IngestThreads.start(1);
        try (Detector detector = Detector.open(card, DetectorConfig.defaults())) {
            LatencyBudget budget = new LatencyBudget(500);
            SeriesReporter reporter = new SeriesReporter(NodeDevice.reportBuilder("test-node", Clock.systemUTC()), 0.5,
                    null, null);
            SeriesPipeline pipeline = new SeriesPipeline(new SeriesAssembler(pool), detector, reporter, null, budget,
                    now::get, new LatencyLog(budget, lines::add));
            SeriesOutcome outcome = pipeline.process(UID, () -> {
                throw new DicomException("series " + UID + ": instance 3 is truncated; resend the series");
            });

            SeriesOutcome.Failed failed = (SeriesOutcome.Failed) outcome;
            assertEquals(PipelineStage.LOAD, failed.stage());
            assertEquals("series " + UID + ": instance 3 is truncated; resend the series", failed.reason());
            assertEquals(List.of("series 1.2.826.…345678 latency: load 0.0 ms; total 0.0 ms; FAILED in load"), lines);
        } finally {
            pool.shutdownNow();
        }
    }
}
