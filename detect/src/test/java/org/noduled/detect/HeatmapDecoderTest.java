package org.noduled.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.PreparedVolume;
import org.noduled.preprocess.ResampledVolume;
import org.noduled.preprocess.SlabPlan;
import org.noduled.preprocess.SlabWindow;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.VolumeGeometry;
import org.noduled.preprocess.VoxelBox;
import org.noduled.preprocess.VoxelMapping;

/** Synthetic heatmaps with known peaks, decoded to hand-computed patient coordinates. */
class HeatmapDecoderTest {

    /** Tile 16 x 16 at output stride 2: an 8 x 8 output grid per window. */
    private static final int GRID = 8;
    /** Source i = 10 + 2.5 u, j = 20 + 2.5 v, k = 4 + 2 t. */
    private static final VoxelMapping MAPPING = new VoxelMapping(2.5, 10, 2.5, 20, 2, 4);
    /** Channels deliberately not in the example's order: the decoder must look them up by name. */
    private static final List<String> CHANNELS = List.of("diameterMm", "dz", "dy", "dx");

    private static ModelCard card(int maxFindings) {
        return new ModelCard("test", "fp32", "1", "x.onnx", "0".repeat(64), "", new ModelCard.Input("slab", 5, 1.25,
                2.0, 16, 16, 16, -1000, 400), new ModelCard.Slabs(2), new ModelCard.Output("heatmap", "regression", 2,
                CHANNELS), new ModelCard.Decode(3, 0.3, 0.5, 0.5, maxFindings), Path.of("x.card.json"));
    }

    private static PreparedVolume prepared(VolumeGeometry g, List<SlabWindow> windows) {
        short[][] hu = new short[g.slices()][g.columns() * g.rows()];
        List<String> uids = new ArrayList<>();
        for (int k = 0; k < g.slices(); k++) {
            uids.add("1.2.3.slice." + k);
        }
        CtVolume volume = new CtVolume("1.2.3.series", "1.2.3.for", g, hu, uids);
        ResampledVolume resampled = new ResampledVolume(new float[10][32 * 32], 32, 32, MAPPING, 0, 10, 0);
        return new PreparedVolume(volume, new VoxelBox(0, 1, 0, 1, 0, 1), resampled,
                new SlabPlan(5, 2, 16, 16, windows));
    }

    /** Outputs for some windows, all zero until peaks are set. */
    private static final class Maps {
        final FloatBuffer heat;
        final FloatBuffer reg;
        final int windows;

        Maps(int windows) {
            this.windows = windows;
            this.heat = FloatBuffer.allocate(windows * GRID * GRID);
            this.reg = FloatBuffer.allocate(windows * 4 * GRID * GRID);
        }

        Maps peak(int w, int q, int p, float score, float dx, float dy, float dz, float diameterMm) {
            heat.put(w * GRID * GRID + q * GRID + p, score);
            float[] byName = {diameterMm, dz, dy, dx};
            for (int c = 0; c < 4; c++) {
                reg.put((w * 4 + c) * GRID * GRID + q * GRID + p, byName[c]);
            }
            return this;
        }

        SlabOutputs outputs() {
            return new SlabOutputs(heat, reg, windows, GRID, GRID, 4);
        }
    }

    private static final VolumeGeometry AXIAL = VolumeGeometry.axial(100, 100, 20, new Vec3(-100, -80, 50),
            new Vec3(0.5, 0.5, 1.0));

    @Test
    void decode_onePeak_landsAtTheHandComputedPatientPosition() {
        PreparedVolume p = prepared(AXIAL, List.of(new SlabWindow(4, 16, 8)));
        SlabOutputs o = new Maps(1).peak(0, 5, 3, 0.9f, 0.25f, 0.75f, 0.5f, 8f).outputs();

        List<Finding> findings = new HeatmapDecoder(card(10)).decode(p, o);

        // u = 8 + (3 + 0.25) * 2 - 0.5 = 14; v = 16 + (5 + 0.75) * 2 - 0.5 = 27; t = 4 + 0.5 = 4.5
        // i = 10 + 2.5 * 14 = 45; j = 20 + 2.5 * 27 = 87.5; k = 4 + 2 * 4.5 = 13
        // x = -100 + 45 * 0.5 = -77.5; y = -80 + 87.5 * 0.5 = -36.25; z = 50 + 13 * 1.0 = 63
        assertEquals(1, findings.size());
        Finding f = findings.get(0);
        assertNear(new Vec3(45, 87.5, 13), f.centerVoxel());
        assertNear(new Vec3(-77.5, -36.25, 63), f.centerMm());
        assertEquals(8.0, f.diameterMm(), 1e-6);
        assertEquals(0.9, f.score(), 1e-6);
        assertEquals("1.2.3.slice.13", f.nearestSliceUid());
    }

    @Test
    void decode_sliceOrderFeetFirst_zRunsDownward() {
        VolumeGeometry flipped = new VolumeGeometry(100, 100, 20, new Vec3(-100, -80, 50), new Vec3(1, 0, 0),
                new Vec3(0, 1, 0), new Vec3(0, 0, -1), new Vec3(0.5, 0.5, 1.0));
        PreparedVolume p = prepared(flipped, List.of(new SlabWindow(4, 16, 8)));
        SlabOutputs o = new Maps(1).peak(0, 5, 3, 0.9f, 0.25f, 0.75f, 0.5f, 8f).outputs();

        Finding f = new HeatmapDecoder(card(10)).decode(p, o).get(0);

        // Same voxel (45, 87.5, 13); slice 13 now lies 13 mm below the first: z = 50 - 13 = 37.
        assertNear(new Vec3(-77.5, -36.25, 37), f.centerMm());
        assertEquals("1.2.3.slice.13", f.nearestSliceUid());
    }

    @Test
    void decode_sameNoduleSeenByTwoOverlappingTiles_mergedKeepingTheHigherScore() {
        // Tile A at column 0 sees it in cell p = 7, tile B at column 8 in cell p = 3: both u = 14.
        PreparedVolume p = prepared(AXIAL, List.of(new SlabWindow(4, 16, 0), new SlabWindow(4, 16, 8)));
        SlabOutputs o = new Maps(2)
                .peak(0, 5, 7, 0.8f, 0.25f, 0.75f, 0.5f, 8f)
                .peak(1, 5, 3, 0.9f, 0.25f, 0.75f, 0.5f, 8f)
                .peak(1, 0, 0, 0.6f, 0.25f, 0.25f, 0f, 6f) // another nodule, 16 mm away
                .outputs();

        List<Finding> findings = new HeatmapDecoder(card(10)).decode(p, o);

        assertEquals(2, findings.size());
        assertEquals(0.9, findings.get(0).score(), 1e-6);
        assertNear(new Vec3(-77.5, -36.25, 63), findings.get(0).centerMm());
        assertEquals(0.6, findings.get(1).score(), 1e-6);
    }

    @Test
    void decode_neighbouringSlabsFarApartForTheirDiameter_bothKept() {
        // Same in-plane spot, slabs 2 resampled slices (4 source slices, 4 mm) apart; NMS distance 0.5 x 6 mm.
        PreparedVolume p = prepared(AXIAL, List.of(new SlabWindow(2, 16, 8), new SlabWindow(4, 16, 8)));
        SlabOutputs o = new Maps(2)
                .peak(0, 5, 3, 0.7f, 0.25f, 0.75f, 0f, 6f)
                .peak(1, 5, 3, 0.9f, 0.25f, 0.75f, 0f, 6f)
                .outputs();
        assertEquals(2, new HeatmapDecoder(card(10)).decode(p, o).size());
    }

    @Test
    void decode_neighbouringSlabsWeakAnswerPointingAtTheSameCentre_mergedIntoTheClaimingSlabsFinding() {
        // The slab at t = 2 answers weakly with dz = +2.5 for the nodule the slab at t = 4 claims (dz = 0.5).
        PreparedVolume p = prepared(AXIAL, List.of(new SlabWindow(2, 16, 8), new SlabWindow(4, 16, 8)));
        SlabOutputs o = new Maps(2)
                .peak(0, 5, 3, 0.35f, 0.25f, 0.75f, 2.5f, 8f)
                .peak(1, 5, 3, 0.9f, 0.25f, 0.75f, 0.5f, 8f)
                .outputs();
        List<Finding> findings = new HeatmapDecoder(card(10)).decode(p, o);
        assertEquals(1, findings.size());
        assertEquals(0.9, findings.get(0).score(), 1e-6);
        assertNear(new Vec3(-77.5, -36.25, 63), findings.get(0).centerMm());
    }

    @Test
    void decode_belowThresholdAndShoulders_onlyTheLocalMaximumAboveThreshold() {
        PreparedVolume p = prepared(AXIAL, List.of(new SlabWindow(4, 16, 8)));
        Maps maps = new Maps(1).peak(0, 5, 3, 0.9f, 0.25f, 0.75f, 0f, 8f)
                .peak(0, 1, 1, 0.2f, 0.25f, 0.25f, 0f, 8f); // an isolated peak under the 0.3 threshold
        for (int[] shoulder : new int[][] {{4, 3}, {6, 3}, {5, 2}, {5, 4}, {4, 4}}) {
            maps.peak(0, shoulder[0], shoulder[1], 0.7f, 0.25f, 0.25f, 0f, 8f);
        }
        List<Finding> findings = new HeatmapDecoder(card(10)).decode(p, maps.outputs());
        assertEquals(1, findings.size());
        assertEquals(0.9, findings.get(0).score(), 1e-6);
    }

    @Test
    void decode_plateauOfEqualScores_bothCellsArePeaksAndNmsKeepsOne() {
        PreparedVolume p = prepared(AXIAL, List.of(new SlabWindow(4, 16, 8)));
        SlabOutputs o = new Maps(1).peak(0, 5, 3, 0.8f, 0.25f, 0.25f, 0f, 20f)
                .peak(0, 5, 4, 0.8f, 0.25f, 0.25f, 0f, 20f).outputs();
        assertEquals(2, PeakFinder.peaks(o, 0, 3, 0.3).size());
        assertEquals(1, new HeatmapDecoder(card(10)).decode(p, o).size());
    }

    @Test
    void decode_diameterBelowHalfAMillimetre_raisedToIt() {
        PreparedVolume p = prepared(AXIAL, List.of(new SlabWindow(4, 16, 8)));
        SlabOutputs o = new Maps(1).peak(0, 5, 3, 0.8f, 0.25f, 0.25f, 0f, -3f).outputs();
        assertEquals(0.5, new HeatmapDecoder(card(10)).decode(p, o).get(0).diameterMm());
    }

    @Test
    void decode_moreNodulesThanTheCardAllows_keepsTheBest() {
        PreparedVolume p = prepared(AXIAL, List.of(new SlabWindow(4, 16, 8)));
        SlabOutputs o = new Maps(1).peak(0, 0, 0, 0.5f, 0f, 0f, 0f, 2f).peak(0, 0, 4, 0.7f, 0f, 0f, 0f, 2f)
                .peak(0, 4, 0, 0.6f, 0f, 0f, 0f, 2f).outputs();
        List<Finding> findings = new HeatmapDecoder(card(2)).decode(p, o);
        assertEquals(List.of(0.7, 0.6), findings.stream().map(f -> Math.round(f.score() * 10) / 10.0).toList());
    }

    private static void assertNear(Vec3 expected, Vec3 actual) {
        assertEquals(expected.x(), actual.x(), 1e-6, "x of " + actual);
        assertEquals(expected.y(), actual.y(), 1e-6, "y of " + actual);
        assertEquals(expected.z(), actual.z(), 1e-6, "z of " + actual);
    }
}
