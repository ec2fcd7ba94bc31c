package org.noduled.runtime;

/**
 * Sensitivity and false positives per scan at one score, counted the way the training code's evaluation
 * (models/training/nodtrain/froc.py) counts them for the card ({@link FrocTally#at}): a nodule is found when a
 * finding at or above the score hits it; only nodules of at least {@code minDiameterMm} count toward
 * sensitivity; a finding at or above the score that hits no nodule at all (of any size) is a false positive.
 */
record AccuracyTally(double score, double minDiameterMm, int scans, int nodules, int found, int falsePositives) {

    /** Found / nodules, or NaN when no nodule counted. */
    double sensitivity() {
        return nodules == 0 ? Double.NaN : (double) found / nodules;
    }

    double falsePositivesPerScan() {
        return scans == 0 ? Double.NaN : (double) falsePositives / scans;
    }
}
