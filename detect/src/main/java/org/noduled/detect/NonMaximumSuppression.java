package org.noduled.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.noduled.preprocess.Vec3;

/**
 * 3D non-maximum suppression in patient space: two candidates closer than {@code distanceFactor} times
 * the larger diameter are one nodule, and the higher score wins. This is also what merges the same
 * nodule seen by overlapping tiles and neighbouring slabs.
 */
final class NonMaximumSuppression {

    /** A decoded peak before suppression: centre in patient mm and source voxels, diameter mm, score. */
    record Candidate(Vec3 centerMm, Vec3 centerVoxel, double diameterMm, double score) {
    }

    private NonMaximumSuppression() {
    }

    /** The kept candidates, best first, at most {@code maxKept}; ties keep the earlier candidate. */
    static List<Candidate> apply(List<Candidate> candidates, double distanceFactor, int maxKept) {
        List<Candidate> byScore = new ArrayList<>(candidates);
        byScore.sort(Comparator.comparingDouble(Candidate::score).reversed());
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : byScore) {
            if (kept.size() == maxKept) {
                break;
            }
            if (kept.stream().noneMatch(k -> sameNodule(k, c, distanceFactor))) {
                kept.add(c);
            }
        }
        return kept;
    }

    private static boolean sameNodule(Candidate a, Candidate b, double distanceFactor) {
        return a.centerMm().minus(b.centerMm()).norm() < distanceFactor * Math.max(a.diameterMm(), b.diameterMm());
    }
}
