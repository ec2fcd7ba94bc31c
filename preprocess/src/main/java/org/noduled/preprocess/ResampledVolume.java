package org.noduled.preprocess;

import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * The lung crop of a series on the model's grid: normalised values (0..1 after the HU window), slices
 * of {@code columns x rows}, row-major, resampled column u, row v, slice t. Pixels padded beyond the
 * source image hold 0 (the window's low end, as air). {@link #mapping()} leads back to source voxels.
 */
public final class ResampledVolume {

    private final float[][] slices;
    private final int columns;
    private final int rows;
    private final VoxelMapping mapping;
    private final int lungSliceStart;
    private final int lungSliceEnd;
    private final int gridSliceOffset;

    /**
     * @param lungSliceStart  first resampled slice holding lung (the slices before it are context for slabs)
     * @param lungSliceEnd    one past the last resampled slice holding lung
     * @param gridSliceOffset index of slice 0 on the whole series' resampled grid (the crop starts there)
     */
    public ResampledVolume(float[][] slices, int columns, int rows, VoxelMapping mapping, int lungSliceStart,
            int lungSliceEnd, int gridSliceOffset) {
        this.slices = Objects.requireNonNull(slices, "slices");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.columns = columns;
        this.rows = rows;
        this.lungSliceStart = lungSliceStart;
        this.lungSliceEnd = lungSliceEnd;
        this.gridSliceOffset = gridSliceOffset;
        if (slices.length == 0 || lungSliceStart < 0 || lungSliceEnd > slices.length
                || lungSliceStart >= lungSliceEnd) {
            throw new IllegalArgumentException("lung slices [" + lungSliceStart + ", " + lungSliceEnd
                    + ") must lie inside the " + slices.length + " resampled slices");
        }
        for (float[] s : slices) {
            if (s.length != columns * rows) {
                throw new IllegalArgumentException("resampled slice has " + s.length + " values, expected "
                        + columns + "x" + rows);
            }
        }
    }

    public int columns() {
        return columns;
    }

    public int rows() {
        return rows;
    }

    public int slices() {
        return slices.length;
    }

    public VoxelMapping mapping() {
        return mapping;
    }

    int lungSliceStart() {
        return lungSliceStart;
    }

    int lungSliceEnd() {
        return lungSliceEnd;
    }

    /** Index of slice 0 on the whole series' resampled grid. */
    int gridSliceOffset() {
        return gridSliceOffset;
    }

    /** Normalised value at resampled (u, v, t). */
    public float value(int u, int v, int t) {
        return slices[t][v * columns + u];
    }

    /**
     * Writes one slab, channels-first ({@code depth x tileRows x tileColumns}), into {@code target} from
     * index {@code offset}, without moving its position. Slab slices beyond the first or last resampled
     * slice repeat that edge slice.
     */
    public void copySlab(SlabPlan plan, SlabWindow window, FloatBuffer target, int offset) {
        int half = plan.depth() / 2;
        int at = offset;
        for (int d = 0; d < plan.depth(); d++) {
            int t = Math.max(0, Math.min(slices.length - 1, window.centreSlice() - half + d));
            float[] slice = slices[t];
            for (int r = 0; r < plan.tileRows(); r++) {
                target.put(at, slice, (window.rowOffset() + r) * columns + window.columnOffset(), plan.tileColumns());
                at += plan.tileColumns();
            }
        }
    }
}
