package org.noduled.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.preprocess.phantom.Phantom;
import org.noduled.preprocess.phantom.PhantomSpec;

class DetectBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void percentiles_nearestRank() {
        long[] nanos = new long[20];
        for (int i = 0; i < 20; i++) {
            nanos[i] = (20 - i) * 1_000_000L; // 20 ms down to 1 ms
        }
        DetectBenchmark.Percentiles p = DetectBenchmark.Percentiles.of(nanos);
        assertEquals(10.0, p.p50Millis());
        assertEquals(19.0, p.p95Millis());
    }

    @Test
    void run_twoBatchSizesTwoThreadCounts_oneRowEachAndALabelledReport() {
        DetectBenchmark.Report report = DetectBenchmark.run(TestModels.tiny(dir), DetectorConfig.defaults(),
                Phantom.plan(PhantomSpec.defaults(1).withGrid(96, 96, 24, 4, 5)).render(2).volume(),
                new DetectBenchmark.Settings(0, 2, List.of(1, 4), List.of(1, 2)));

        assertEquals(4, report.results().size());
        assertEquals(List.of(1, 4, 1, 4), report.results().stream().map(DetectBenchmark.Result::batchSize).toList());
        assertEquals(List.of(1, 1, 2, 2), report.results().stream().map(DetectBenchmark.Result::threads).toList());
        for (DetectBenchmark.Result r : report.results()) {
            assertTrue(r.slabs() > 0);
            assertTrue(r.total().p50Millis() <= r.total().p95Millis());
        }
        String text = report.format();
        assertTrue(text.contains("synthetic, not for clinical use"), text);
        assertTrue(text.contains("volume 96x96x24"), text);
    }
}
