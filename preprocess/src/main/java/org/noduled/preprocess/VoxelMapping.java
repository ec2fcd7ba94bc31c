package org.noduled.preprocess;

/**
 * Where a point of the resampled grid lies in the source volume: per axis, source index =
 * offset + scale * resampled index, with indices at voxel centres. (u, v, t) are the resampled column,
 * row and slice; (i, j, k) the source column, row and sorted slice. Fractional values are allowed both
 * ways, so sub-voxel detections keep their precision.
 */
public record VoxelMapping(double iScale, double iOffset, double jScale, double jOffset, double kScale,
        double kOffset) {

    public VoxelMapping {
        if (!(iScale > 0) || !(jScale > 0) || !(kScale > 0)) {
            throw new IllegalArgumentException("mapping scales must be positive, got " + iScale + ", " + jScale
                    + ", " + kScale);
        }
    }

    /** Source voxel (i, j, k) of resampled point (u, v, t). */
    public Vec3 toSource(double u, double v, double t) {
        return new Vec3(iOffset + iScale * u, jOffset + jScale * v, kOffset + kScale * t);
    }

    /** Resampled point (u, v, t) of source voxel (i, j, k). */
    Vec3 toResampled(Vec3 sourceVoxel) {
        return new Vec3((sourceVoxel.x() - iOffset) / iScale, (sourceVoxel.y() - jOffset) / jScale,
                (sourceVoxel.z() - kOffset) / kScale);
    }
}
