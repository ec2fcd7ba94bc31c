package org.noduled.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.PreparedVolume;
import org.noduled.preprocess.Preprocessor;
import org.noduled.preprocess.ResampledVolume;
import org.noduled.preprocess.SyntheticChest;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.VolumeException;
import org.noduled.preprocess.VolumeGeometry;

/**
 * End to end with the tiny hand-set model: it sees a small bright blob on a slab's centre slice, so the
 * test places nodules there and knows where the findings must be.
 */
class DetectorTest {

    @TempDir
    static Path dir;

    /** 256 x 256 x 64 at 1.5 x 1.5 x 1.25 mm: shrunk in-plane to the card's 2 mm, every other slice to 2.5 mm. */
    private static SyntheticChest chest() {
        return new SyntheticChest().size(256, 256, 64).spacing(new Vec3(1.5, 1.5, 1.25)).lungSlices(8, 56);
    }
    private static Path card;
    private static Vec3 rightNoduleMm;
    private static Vec3 leftNoduleMm;
    private static CtVolume withNodules;

    @BeforeAll
    static void placeNodulesOnSlabCentres() {
        card = TestModels.tiny(dir);
        CtVolume empty = chest().build();
        PreparedVolume plan = new Preprocessor(ModelCard.read(card).slabSpec()).prepare(empty);
        ResampledVolume r = plan.resampled();
        VolumeGeometry g = empty.geometry();
        int centre = plan.plan().windows().get(plan.plan().windows().size() / 2).centreSlice();
        int otherCentre = centre + 2 * plan.plan().slabStride();
        // Even resampled pixels are output-cell centres for this model (3x3 kernel, stride 2).
        rightNoduleMm = patient(g, r, evenPixel(r, g.toVoxel(new Vec3(65, -15, 0)).x()),
                evenPixel(r, g.toVoxel(new Vec3(0, -15, 0)).y()), centre);
        leftNoduleMm = patient(g, r, evenPixel(r, g.toVoxel(new Vec3(-60, 0, 0)).x()),
                evenPixel(r, g.toVoxel(new Vec3(0, 0, 0)).y()), otherCentre);
        withNodules = chest().nodule(rightNoduleMm, 8).nodule(leftNoduleMm, 8).build();
    }

    private static int evenPixel(ResampledVolume r, double sourceIndex) {
        double u = (sourceIndex - r.mapping().iOffset()) / r.mapping().iScale();
        return 2 * (int) Math.round(u / 2);
    }

    private static Vec3 patient(VolumeGeometry g, ResampledVolume r, int u, int v, int t) {
        Vec3 s = r.mapping().toSource(u, v, t);
        return g.toPatient(s.x(), s.y(), s.z());
    }

    @Test
    void detect_twoNodulesOnSlabCentres_findsExactlyThemWhereTheyAre() {
        try (Detector detector = Detector.open(card, DetectorConfig.defaults())) {
            SeriesFindings result = detector.detect(withNodules).findings();

            assertEquals(withNodules.seriesInstanceUid(), result.seriesInstanceUid());
            assertEquals("noduled-test-tiny", result.model().name());
            assertEquals(2, result.findings().size(), result.findings().toString());
            for (Vec3 nodule : List.of(rightNoduleMm, leftNoduleMm)) {
                Finding f = result.findings().stream()
                        .filter(x -> x.centerMm().minus(nodule).norm() < 30).findFirst().orElseThrow();
                assertTrue(f.centerMm().minus(nodule).norm() < 0.5, "at " + f.centerMm() + ", nodule at " + nodule);
                assertTrue(f.score() > 0.9, "score " + f.score());
                assertEquals(12.0, f.diameterMm(), 1e-6, "this model's constant diameter");
                int slice = (int) Math.round(withNodules.geometry().toVoxel(nodule).z());
                assertEquals(withNodules.sliceInstanceUids().get(slice), f.nearestSliceUid());
            }
        }
    }

    @Test
    void detect_chestWithoutNodules_findsNothing() {
        try (Detector detector = Detector.open(card, DetectorConfig.defaults())) {
            assertEquals(List.of(), detector.detect(chest().build()).findings().findings());
        }
    }

    @Test
    void detect_batchSizesOneAndEight_sameFindings() {
        List<Finding> one;
        List<Finding> eight;
        try (Detector d = Detector.open(card, DetectorConfig.defaults().withBatchSize(1).withThreads(1))) {
            one = d.detect(withNodules).findings().findings();
        }
        try (Detector d = Detector.open(card, DetectorConfig.defaults().withBatchSize(8))) {
            eight = d.detect(withNodules).findings().findings();
            assertEquals(eight, d.detect(withNodules).findings().findings(), "buffers reused across series");
        }
        assertEquals(one, eight);
    }

    @Test
    void detect_stagesTimedByTheChainInOrder_listenerHearsStartAndEnd() {
        AtomicLong now = new AtomicLong();
        // Every clock read advances 1 ms: each stage reads it twice, so each lasts exactly 1 ms.
        try (Detector d = Detector.open(card, DetectorConfig.defaults(), () -> now.getAndAdd(1_000_000))) {
            List<String> events = new ArrayList<>();
            Detection detection = d.detect(withNodules, recorder(events));

            String uid = withNodules.seriesInstanceUid();
            assertEquals(List.of("start " + uid + " PREPROCESS", "end " + uid + " PREPROCESS 1000000",
                    "start " + uid + " INFER", "end " + uid + " INFER 1000000",
                    "start " + uid + " DECODE", "end " + uid + " DECODE 1000000"), events);
            for (Stage s : Stage.values()) {
                assertEquals(1.0, detection.timings().millis(s));
            }
            assertEquals(3_000_000, detection.timings().totalNanos());
        }
    }

    @Test
    void detect_seriesWithoutLungs_failsInPreprocessAndTellsTheListener() {
        short[][] air = new short[8][32 * 32];
        for (short[] slice : air) {
            java.util.Arrays.fill(slice, (short) -1000);
        }
        List<String> uids = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            uids.add("1.2." + k);
        }
        CtVolume empty = new CtVolume("1.2.3.4.5.6.7.8.9.0.123", "1.2.4",
                VolumeGeometry.axial(32, 32, 8, Vec3.ZERO, new Vec3(10, 10, 10)), air, uids);
        try (Detector d = Detector.open(card, DetectorConfig.defaults())) {
            List<String> events = new ArrayList<>();
            VolumeException e = assertThrows(VolumeException.class, () -> d.detect(empty, recorder(events)));
            assertTrue(e.getMessage().contains("no lungs found"), e.getMessage());
            assertEquals(List.of("start 1.2.3.4.5.6.7.8.9.0.123 PREPROCESS", "failed 1.2.3.4.5.6.7.8.9.0.123 PREPROCESS"),
                    events);
        }
    }

    @Test
    void detect_afterClose_refused() {
        Detector d = Detector.open(card, DetectorConfig.defaults());
        d.close();
        assertThrows(IllegalStateException.class, () -> d.detect(withNodules));
    }

    private static StageListener recorder(List<String> events) {
        return new StageListener() {
            @Override
            public void stageStart(String series, Stage stage) {
                events.add("start " + series + " " + stage);
            }

            @Override
            public void stageEnd(String series, Stage stage, long elapsedNanos) {
                events.add("end " + series + " " + stage + " " + elapsedNanos);
            }

            @Override
            public void stageFailed(String series, Stage stage, long elapsedNanos, RuntimeException failure) {
                events.add("failed " + series + " " + stage);
            }
        };
    }
}
