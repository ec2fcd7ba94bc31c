package org.noduled.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlabTilerTest {

    private static final VoxelMapping IDENTITY = new VoxelMapping(1, 0, 1, 0, 1, 0);

    /** A resampled volume whose every value is its slice index t, so slabs show which slices they hold. */
    private static ResampledVolume sliceNumbered(int columns, int rows, int slices, int lungStart, int lungEnd) {
        float[][] data = new float[slices][columns * rows];
        for (int t = 0; t < slices; t++) {
            java.util.Arrays.fill(data[t], t);
        }
        return new ResampledVolume(data, columns, rows, IDENTITY, lungStart, lungEnd, 0);
    }

    private static SlabSpec spec(int depth, int stride, int tile) {
        return new SlabSpec(1.0, 2.0, new HuWindow(-1000, 400), depth, stride, tile, tile, 16);
    }

    @Test
    void plan_cropLargerThanTile_everyLungVoxelIsClaimedByAWindowThatHoldsIt() {
        ResampledVolume r = sliceNumbered(208, 144, 30, 4, 25);
        SlabPlan plan = SlabTiler.plan(r, spec(5, 2, 96));
        assertEquals(96, plan.tileColumns());
        assertEquals(96, plan.tileRows());
        for (int t = r.lungSliceStart(); t < r.lungSliceEnd(); t++) {
            for (int v = 0; v < r.rows(); v++) {
                for (int u = 0; u < r.columns(); u++) {
                    assertTrue(claimed(plan, u, v, t), "voxel " + u + "," + v + "," + t + " unclaimed");
                }
            }
        }
    }

    private static boolean claimed(SlabPlan plan, int u, int v, int t) {
        for (SlabWindow w : plan.windows()) {
            if (Math.abs(t - w.centreSlice()) <= plan.slabStride() / 2.0
                    && u >= w.columnOffset() && u < w.columnOffset() + plan.tileColumns()
                    && v >= w.rowOffset() && v < w.rowOffset() + plan.tileRows()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void offsets_cropLargerThanTile_neighboursOverlapByTheMinimumOnMultiplesAndTheLastIsFlush() {
        List<Integer> offsets = SlabTiler.offsets(400, 256, 32, 16);
        assertEquals(0, offsets.get(0));
        assertEquals(400 - 256, offsets.get(offsets.size() - 1));
        for (int n = 1; n < offsets.size(); n++) {
            assertEquals(0, offsets.get(n) % 16);
            assertTrue(offsets.get(n - 1) + 256 - offsets.get(n) >= 32, "overlap " + offsets);
        }
    }

    @Test
    void offsets_cropWithinTile_oneTile() {
        assertEquals(List.of(0), SlabTiler.offsets(240, 256, 32, 16));
    }

    @Test
    void centres_strideTwo_onTheSeriesGridsMultiplesUntilTheLastLungSliceIsWithinHalfAStride() {
        // Crop slice c is series slice 4 + c: centres at series slices 6, 8, ..., i.e. crop slices 2, 4, ...
        assertEquals(List.of(2, 4, 6, 8, 10), SlabTiler.centres(3, 11, 2, 4));
        assertEquals(List.of(2, 4, 6, 8), SlabTiler.centres(3, 10, 2, 4));
        // Crop slice c is series slice 5 + c: series 7 is odd, so the first centre is crop slice 3 (series 8).
        assertEquals(List.of(3, 5, 7, 9), SlabTiler.centres(3, 10, 2, 5));
        assertEquals(List.of(0), SlabTiler.centres(0, 1, 2, 0));
        assertEquals(List.of(0, 3, 6), SlabTiler.centres(2, 7, 3, 0));
    }

    @Test
    void copySlab_atTheEndsOfTheVolume_repeatsTheEdgeSlices() {
        ResampledVolume r = sliceNumbered(16, 16, 8, 0, 8);
        SlabPlan plan = new SlabPlan(5, 2, 16, 16, List.of());
        FloatBuffer buffer = FloatBuffer.allocate(plan.floatsPerSlab() + 3);

        r.copySlab(plan, new SlabWindow(0, 0, 0), buffer, 3);
        assertArrayEquals(new float[] {0, 0, 0, 1, 2}, channelValues(buffer, 3, plan));
        r.copySlab(plan, new SlabWindow(7, 0, 0), buffer, 3);
        assertArrayEquals(new float[] {5, 6, 7, 7, 7}, channelValues(buffer, 3, plan));
        assertEquals(0, buffer.position(), "copySlab leaves the buffer position alone");
    }

    @Test
    void copySlab_tileInsideTheCrop_copiesThatRegion() {
        float[][] data = new float[1][32 * 32];
        for (int p = 0; p < data[0].length; p++) {
            data[0][p] = p; // value = v * 32 + u
        }
        ResampledVolume r = new ResampledVolume(data, 32, 32, IDENTITY, 0, 1, 0);
        SlabPlan plan = new SlabPlan(1, 1, 16, 16, List.of());
        FloatBuffer buffer = FloatBuffer.allocate(plan.floatsPerSlab());
        r.copySlab(plan, new SlabWindow(0, 16, 8), buffer, 0);
        assertEquals(16 * 32 + 8, buffer.get(0));
        assertEquals((16 + 15) * 32 + 8 + 15, buffer.get(16 * 16 - 1));
    }

    /** The first value of every channel of the slab at {@code offset}. */
    private static float[] channelValues(FloatBuffer buffer, int offset, SlabPlan plan) {
        float[] values = new float[plan.depth()];
        for (int d = 0; d < plan.depth(); d++) {
            values[d] = buffer.get(offset + d * plan.tileRows() * plan.tileColumns());
        }
        return values;
    }
}
