package org.noduled.preprocess;

import java.util.List;

/**
 * Every slab window the model runs on for one series, with the tile size they share.
 *
 * @param depth       slices per slab
 * @param slabStride  resampled slices between successive slab centres
 * @param tileRows    tile height, resampled pixels (a multiple of the card's inPlaneMultiple)
 * @param tileColumns tile width, resampled pixels
 * @param windows     slab windows, by centre slice then tile
 */
public record SlabPlan(int depth, int slabStride, int tileRows, int tileColumns, List<SlabWindow> windows) {

    public SlabPlan {
        windows = List.copyOf(windows);
    }

    /** Floats in one slab: depth x tileRows x tileColumns. */
    public int floatsPerSlab() {
        return depth * tileRows * tileColumns;
    }
}
