package org.noduled.detect;

import java.util.Objects;
import org.noduled.preprocess.Vec3;

/**
 * One detected nodule.
 *
 * @param centerMm        centre in patient coordinates (DICOM LPS, mm), in the source Frame of Reference
 * @param centerVoxel     the same centre as a fractional voxel index (i = column, j = row, k = sorted slice)
 *                        of the source volume
 * @param diameterMm      estimated long-axis diameter, mm
 * @param score           detector confidence, 0..1
 * @param nearestSliceUid SOP Instance UID of the source slice nearest the centre
 */
public record Finding(Vec3 centerMm, Vec3 centerVoxel, double diameterMm, double score, String nearestSliceUid) {

    public Finding {
        Objects.requireNonNull(centerMm, "centerMm");
        Objects.requireNonNull(centerVoxel, "centerVoxel");
        Objects.requireNonNull(nearestSliceUid, "nearestSliceUid");
        if (!(diameterMm > 0)) {
            throw new IllegalArgumentException("diameter must be positive, got " + diameterMm + " mm");
        }
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must lie in 0..1, got " + score);
        }
    }

    /** Index of the nearest source slice in sorted order. */
    public int nearestSliceIndex() {
        return (int) Math.round(centerVoxel.z());
    }
}
