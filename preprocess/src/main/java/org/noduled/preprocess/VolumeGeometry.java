package org.noduled.preprocess;

/**
 * Where a voxel grid lies in patient space.
 *
 * <p>Voxel index (i, j, k) = (column, row, slice in sorted order). Patient coordinates are DICOM LPS in
 * millimetres. {@code rowDirection} is the unit step of increasing column index i (the first triplet of
 * Image Orientation (Patient)), {@code columnDirection} the unit step of increasing row index j (the second
 * triplet), {@code sliceDirection} the unit step of increasing k. {@code spacingMm} holds the step along i,
 * j and k in x, y and z. The axes are orthonormal: oblique stacks and gantry tilt are rejected before a
 * geometry is made.
 */
public record VolumeGeometry(
        int columns, int rows, int slices,
        Vec3 originMm, Vec3 rowDirection, Vec3 columnDirection, Vec3 sliceDirection, Vec3 spacingMm) {

    private static final double ORTHONORMAL_TOLERANCE = 1e-4;

    public VolumeGeometry {
        if (columns <= 0 || rows <= 0 || slices <= 0) {
            throw new IllegalArgumentException("volume dimensions must be positive, got "
                    + columns + "x" + rows + "x" + slices);
        }
        if (spacingMm.x() <= 0 || spacingMm.y() <= 0 || spacingMm.z() <= 0) {
            throw new IllegalArgumentException("voxel spacing must be positive, got " + spacingMm);
        }
        requireUnit("row direction", rowDirection);
        requireUnit("column direction", columnDirection);
        requireUnit("slice direction", sliceDirection);
        if (Math.abs(rowDirection.dot(columnDirection)) > ORTHONORMAL_TOLERANCE
                || Math.abs(rowDirection.dot(sliceDirection)) > ORTHONORMAL_TOLERANCE
                || Math.abs(columnDirection.dot(sliceDirection)) > ORTHONORMAL_TOLERANCE) {
            throw new IllegalArgumentException("volume axes must be orthogonal: row " + rowDirection
                    + ", column " + columnDirection + ", slice " + sliceDirection);
        }
    }

    /** An axial stack: rows run along +x (L), columns along +y (P), slices along +z (S). */
    public static VolumeGeometry axial(int columns, int rows, int slices, Vec3 originMm, Vec3 spacingMm) {
        return new VolumeGeometry(columns, rows, slices, originMm,
                new Vec3(1, 0, 0), new Vec3(0, 1, 0), new Vec3(0, 0, 1), spacingMm);
    }

    /** Patient position (LPS mm) of voxel (i, j, k); fractional indices are allowed. */
    public Vec3 toPatient(double i, double j, double k) {
        return originMm
                .plus(rowDirection.times(i * spacingMm.x()))
                .plus(columnDirection.times(j * spacingMm.y()))
                .plus(sliceDirection.times(k * spacingMm.z()));
    }

    /** Fractional voxel index (i, j, k) of a patient position (LPS mm). */
    public Vec3 toVoxel(Vec3 patientMm) {
        Vec3 d = patientMm.minus(originMm);
        return new Vec3(
                d.dot(rowDirection) / spacingMm.x(),
                d.dot(columnDirection) / spacingMm.y(),
                d.dot(sliceDirection) / spacingMm.z());
    }

    /** Patient position (LPS mm) of the first voxel of slice k: that slice's Image Position (Patient). */
    public Vec3 slicePositionMm(int k) {
        return toPatient(0, 0, k);
    }

    public long voxelCount() {
        return (long) columns * rows * slices;
    }

    private static void requireUnit(String name, Vec3 v) {
        if (Math.abs(v.norm() - 1) > ORTHONORMAL_TOLERANCE) {
            throw new IllegalArgumentException(name + " must be a unit vector, got " + v);
        }
    }
}
