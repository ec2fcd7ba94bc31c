package org.noduled.preprocess;

/**
 * One model input: the slab centred on resampled slice {@code centreSlice}, cut in-plane to the tile
 * whose top-left resampled pixel is ({@code columnOffset}, {@code rowOffset}). The tile size is the
 * plan's, the same for every window of a series, so windows batch together.
 */
public record SlabWindow(int centreSlice, int rowOffset, int columnOffset) {
}
