package org.noduled.preprocess;

/**
 * A box of source voxels, half-open on every axis: columns {@code [i0, i1)}, rows {@code [j0, j1)},
 * sorted slices {@code [k0, k1)}.
 */
public record VoxelBox(int i0, int i1, int j0, int j1, int k0, int k1) {

    public VoxelBox {
        if (i0 < 0 || j0 < 0 || k0 < 0 || i1 <= i0 || j1 <= j0 || k1 <= k0) {
            throw new IllegalArgumentException("empty or negative voxel box " + describe(i0, i1, j0, j1, k0, k1));
        }
    }

    public int columns() {
        return i1 - i0;
    }

    public int rows() {
        return j1 - j0;
    }

    public int slices() {
        return k1 - k0;
    }

    @Override
    public String toString() {
        return describe(i0, i1, j0, j1, k0, k1);
    }

    private static String describe(int i0, int i1, int j0, int j1, int k0, int k1) {
        return "i[" + i0 + "," + i1 + ") j[" + j0 + "," + j1 + ") k[" + k0 + "," + k1 + ")";
    }
}
