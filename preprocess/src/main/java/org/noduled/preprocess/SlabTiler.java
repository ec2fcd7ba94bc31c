package org.noduled.preprocess;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a resampled lung crop into slab windows: along z a sliding window whose centres are the card's
 * ({@code s * stride} on the whole series' resampled grid) over the lung slices, so every lung slice is
 * within half a stride of a centre (the slice range a slab's output claims); in-plane one tile when the
 * crop fits the card's tile, else equal overlapping tiles. Slices beyond the ends repeat the edge slice
 * ({@link ResampledVolume#copySlab}).
 */
final class SlabTiler {

    /** Overlap between neighbouring tiles: at least the largest nodule (30 mm) plus some context. */
    static final double MIN_TILE_OVERLAP_MM = 40.0;

    private SlabTiler() {
    }

    static SlabPlan plan(ResampledVolume volume, SlabSpec spec) {
        int tileRows = Math.min(spec.tileRows(), volume.rows());
        int tileColumns = Math.min(spec.tileColumns(), volume.columns());
        int overlap = spec.roundUpToMultiple((int) Math.ceil(MIN_TILE_OVERLAP_MM / spec.pixelSpacingMm()));
        List<Integer> rowOffsets = offsets(volume.rows(), tileRows, overlap, spec.inPlaneMultiple());
        List<Integer> columnOffsets = offsets(volume.columns(), tileColumns, overlap, spec.inPlaneMultiple());
        List<SlabWindow> windows = new ArrayList<>();
        for (int centre : centres(volume.lungSliceStart(), volume.lungSliceEnd(), spec.slabStride(),
                volume.gridSliceOffset())) {
            for (int row : rowOffsets) {
                for (int column : columnOffsets) {
                    windows.add(new SlabWindow(centre, row, column));
                }
            }
        }
        return new SlabPlan(spec.depth(), spec.slabStride(), tileRows, tileColumns, windows);
    }

    /**
     * Slab centres (crop slice indices) on the series grid's multiples of the stride, from the last one at
     * or before the first lung slice until the last lung slice is within half a stride.
     */
    static List<Integer> centres(int lungStart, int lungEnd, int stride, int gridSliceOffset) {
        List<Integer> centres = new ArrayList<>();
        int first = lungStart - Math.floorMod(gridSliceOffset + lungStart, stride);
        // The resampler leaves at least one stride of context before the lungs unless the series starts
        // there, where the grid's slice 0 is itself a centre; so first >= 0 for its volumes.
        for (int c = first < 0 ? first + stride : first; ; c += stride) {
            centres.add(c);
            if (c + stride / 2.0 >= lungEnd - 1) {
                return centres;
            }
        }
    }

    /**
     * Tile origins along one axis: evenly spread, on multiples of {@code multiple} so every tile has the
     * same output grid phase, the last tile flush with the end, neighbours overlapping by at least
     * {@code overlap} (reduced when the tile is too small to afford it).
     */
    static List<Integer> offsets(int size, int tile, int overlap, int multiple) {
        if (size <= tile) {
            return List.of(0);
        }
        // Snapping an origin down to a multiple can widen a gap by up to one multiple: budget for it.
        int usableOverlap = Math.max(0, Math.min(overlap, tile - 2 * multiple));
        int step = Math.max(multiple, tile - usableOverlap - multiple);
        int gaps = (size - tile + step - 1) / step;
        List<Integer> offsets = new ArrayList<>();
        for (int n = 0; n < gaps; n++) {
            offsets.add((int) ((long) n * (size - tile) / gaps) / multiple * multiple);
        }
        offsets.add(size - tile);
        return offsets;
    }
}
