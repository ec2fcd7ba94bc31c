package org.noduled.preprocess;

import java.util.List;
import java.util.Objects;

/**
 * One CT series as Hounsfield units on a voxel grid, with the identifiers the report needs later.
 *
 * <p>{@code slicesHu[k]} holds slice k row-major ({@code index = j * columns + i}), in HU after rescale.
 * {@code sliceInstanceUids.get(k)} is the SOP Instance UID the slice came from (opaque here: preprocess
 * knows no DICOM). The arrays are shared, not copied: a volume is big (157 MB for 512x512x300) and
 * stages hand it on without copying.
 */
public final class CtVolume {

    private final String seriesInstanceUid;
    private final String frameOfReferenceUid;
    private final VolumeGeometry geometry;
    private final short[][] slicesHu;
    private final List<String> sliceInstanceUids;

    public CtVolume(String seriesInstanceUid, String frameOfReferenceUid, VolumeGeometry geometry,
            short[][] slicesHu, List<String> sliceInstanceUids) {
        this.seriesInstanceUid = Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        this.frameOfReferenceUid = Objects.requireNonNull(frameOfReferenceUid, "frameOfReferenceUid");
        this.geometry = Objects.requireNonNull(geometry, "geometry");
        this.slicesHu = Objects.requireNonNull(slicesHu, "slicesHu");
        this.sliceInstanceUids = List.copyOf(sliceInstanceUids);
        if (slicesHu.length != geometry.slices() || sliceInstanceUids.size() != geometry.slices()) {
            throw new IllegalArgumentException("geometry has " + geometry.slices() + " slices but "
                    + slicesHu.length + " pixel arrays and " + sliceInstanceUids.size() + " instance UIDs");
        }
        int plane = geometry.columns() * geometry.rows();
        for (int k = 0; k < slicesHu.length; k++) {
            if (slicesHu[k].length != plane) {
                throw new IllegalArgumentException("slice " + k + " has " + slicesHu[k].length
                        + " voxels, expected " + plane);
            }
        }
    }

    public String seriesInstanceUid() {
        return seriesInstanceUid;
    }

    public String frameOfReferenceUid() {
        return frameOfReferenceUid;
    }

    public VolumeGeometry geometry() {
        return geometry;
    }

    /** Slice k in HU, row-major; the live array, not a copy. */
    public short[] sliceHu(int k) {
        return slicesHu[k];
    }

    public List<String> sliceInstanceUids() {
        return sliceInstanceUids;
    }

    /** HU at voxel (i, j, k). */
    public short hu(int i, int j, int k) {
        return slicesHu[k][j * geometry.columns() + i];
    }

    /** Smallest and largest HU in the volume. */
    public HuRange huRange() {
        int min = Short.MAX_VALUE;
        int max = Short.MIN_VALUE;
        for (short[] slice : slicesHu) {
            for (short v : slice) {
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
        }
        return new HuRange(min, max);
    }

    /** An inclusive HU interval. */
    public record HuRange(int minHu, int maxHu) {
    }
}
