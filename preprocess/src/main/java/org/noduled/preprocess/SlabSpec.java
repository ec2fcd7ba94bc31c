package org.noduled.preprocess;

/**
 * What a 2.5D model needs from a volume, in preprocessing terms; the detect module builds it from the
 * model card so that every value comes from the card.
 *
 * @param pixelSpacingMm  in-plane spacing of the resampled grid, mm (both axes)
 * @param sliceSpacingMm  spacing between resampled slices, mm
 * @param window          HU window and normalisation to 0..1
 * @param depth           slices per slab (odd); slab s holds slices c - depth/2 .. c + depth/2
 * @param slabStride      resampled slices between successive slab centres
 * @param tileRows        preferred (largest) tile height, resampled pixels
 * @param tileColumns     preferred (largest) tile width, resampled pixels
 * @param inPlaneMultiple tile height and width must be multiples of this
 */
public record SlabSpec(double pixelSpacingMm, double sliceSpacingMm, HuWindow window, int depth, int slabStride,
        int tileRows, int tileColumns, int inPlaneMultiple) {

    public SlabSpec {
        if (!(pixelSpacingMm > 0) || !(sliceSpacingMm > 0)) {
            throw new IllegalArgumentException("resampled spacing must be positive, got " + pixelSpacingMm
                    + " mm in-plane and " + sliceSpacingMm + " mm between slices");
        }
        if (depth < 1 || depth % 2 == 0) {
            throw new IllegalArgumentException("slab depth must be a positive odd number, got " + depth);
        }
        if (slabStride < 1) {
            throw new IllegalArgumentException("slab stride must be at least 1, got " + slabStride);
        }
        if (inPlaneMultiple < 1 || tileRows < inPlaneMultiple || tileColumns < inPlaneMultiple
                || tileRows % inPlaneMultiple != 0 || tileColumns % inPlaneMultiple != 0) {
            throw new IllegalArgumentException("tile " + tileRows + "x" + tileColumns
                    + " must be a positive multiple of " + inPlaneMultiple);
        }
    }

    /** Rounds a size in pixels up to the next multiple of {@link #inPlaneMultiple}. */
    int roundUpToMultiple(int pixels) {
        return Math.max(1, (pixels + inPlaneMultiple - 1) / inPlaneMultiple) * inPlaneMultiple;
    }
}
