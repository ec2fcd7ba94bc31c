package org.noduled.runtime;

import java.util.List;
import org.noduled.detect.Finding;
import org.noduled.preprocess.phantom.PlantedNodule;

/**
 * Sensitivity and false positives per scan at one score, counted the way the training code's evaluation
 * (models/training/nodtrain/froc.py) counts them for the card: a finding hits a nodule when its centre lies
 * within the nodule's radius; a nodule is found when a finding at or above the score hits it; only nodules of
 * at least {@code minDiameterMm} count toward sensitivity; a finding at or above the score that hits no nodule
 * at all (of any size) is a false positive. Immutable; {@link #plus} adds one scan.
 */
record AccuracyTally(double score, double minDiameterMm, int scans, int nodules, int found, int falsePositives) {

    static AccuracyTally empty(double score, double minDiameterMm) {
        return new AccuracyTally(score, minDiameterMm, 0, 0, 0, 0);
    }

    /** This tally plus one scan with its truth and its findings. */
    AccuracyTally plus(List<PlantedNodule> truth, List<Finding> findings) {
        List<Finding> kept = findings.stream().filter(f -> f.score() >= score).toList();
        int relevant = 0;
        int hits = 0;
        for (PlantedNodule n : truth) {
            if (n.diameterMm() >= minDiameterMm) {
                relevant++;
                if (kept.stream().anyMatch(f -> hits(f, n))) {
                    hits++;
                }
            }
        }
        int fp = (int) kept.stream().filter(f -> truth.stream().noneMatch(n -> hits(f, n))).count();
        return new AccuracyTally(score, minDiameterMm, scans + 1, nodules + relevant, found + hits, falsePositives + fp);
    }

    static boolean hits(Finding f, PlantedNodule n) {
        return f.centerMm().minus(n.centerMm()).norm() <= n.radiusMm();
    }

    /** Found / nodules, or NaN when no nodule counted. */
    double sensitivity() {
        return nodules == 0 ? Double.NaN : (double) found / nodules;
    }

    double falsePositivesPerScan() {
        return scans == 0 ? Double.NaN : (double) falsePositives / scans;
    }
}
