package org.noduled.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.stream.DoubleStream;
import org.noduled.detect.Finding;
import org.noduled.preprocess.phantom.PlantedNodule;

/**
 * The FROC curve and CPM over nodules of at least {@code minDiameterMm}, counted as the card's figures are
 * (models/training/nodtrain/froc.py, LUNA16's rules): a finding hits a nodule when its centre lies within the
 * nodule's radius; a nodule's score is the best of the findings hitting it; a finding that hits only smaller
 * nodules is neither true nor false; one that hits no nodule is a false positive. Sensitivity at r false
 * positives per scan is the highest reached by a score threshold whose false positives per scan stay at most r
 * (a step curve, no interpolation); CPM is its mean over {@link #FP_RATES}; {@link #at} reads one point of it
 * (the card's operating point). Immutable; {@link #plus} adds one scan.
 */
final class FrocTally {

    static final double[] FP_RATES = {0.125, 0.25, 0.5, 1, 2, 4, 8};

    private final double minDiameterMm;
    private final int scans;
    /** Per counted nodule, the best score of a finding hitting it (negative infinity when none does); sorted. */
    private final double[] noduleScores;
    /** Sorted. */
    private final double[] falsePositiveScores;

    private FrocTally(double minDiameterMm, int scans, double[] noduleScores, double[] falsePositiveScores) {
        this.minDiameterMm = minDiameterMm;
        this.scans = scans;
        this.noduleScores = noduleScores;
        this.falsePositiveScores = falsePositiveScores;
    }

    static FrocTally empty(double minDiameterMm) {
        return new FrocTally(minDiameterMm, 0, new double[0], new double[0]);
    }

    /** This tally plus one scan with its truth and all its findings (every score, not only the kept ones). */
    FrocTally plus(List<PlantedNodule> truth, List<Finding> findings) {
        double[] best = truth.stream().filter(n -> n.diameterMm() >= minDiameterMm)
                .mapToDouble(n -> findings.stream().filter(f -> hits(f, n)).mapToDouble(Finding::score)
                        .max().orElse(Double.NEGATIVE_INFINITY))
                .toArray();
        double[] fp = findings.stream().filter(f -> truth.stream().noneMatch(n -> hits(f, n)))
                .mapToDouble(Finding::score).toArray();
        return new FrocTally(minDiameterMm, scans + 1, sortedConcat(noduleScores, best),
                sortedConcat(falsePositiveScores, fp));
    }

    static boolean hits(Finding f, PlantedNodule n) {
        return f.centerMm().minus(n.centerMm()).norm() <= n.radiusMm();
    }

    /** The counts at one score: nodules found by a finding scoring at least it, and such findings hitting none. */
    AccuracyTally at(double score) {
        return new AccuracyTally(score, minDiameterMm, scans, noduleScores.length, atOrAbove(noduleScores, score),
                atOrAbove(falsePositiveScores, score));
    }

    int scans() {
        return scans;
    }

    int nodules() {
        return noduleScores.length;
    }

    double minDiameterMm() {
        return minDiameterMm;
    }

    /** Sensitivity at each of {@link #FP_RATES}; NaN for each when no nodule counted or no scan was added. */
    double[] sensitivities() {
        double[] out = new double[FP_RATES.length];
        if (noduleScores.length == 0 || scans == 0) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        // Every score that changes the curve, and +inf (nothing kept), so each rate has at least one threshold.
        double[] thresholds = DoubleStream.concat(Arrays.stream(noduleScores).filter(Double::isFinite),
                DoubleStream.concat(Arrays.stream(falsePositiveScores), DoubleStream.of(Double.POSITIVE_INFINITY)))
                .distinct().toArray();
        for (double t : thresholds) {
            AccuracyTally point = at(t);
            double fpPerScan = point.falsePositivesPerScan();
            double sensitivity = point.sensitivity();
            for (int r = 0; r < FP_RATES.length; r++) {
                if (fpPerScan <= FP_RATES[r] && sensitivity > out[r]) {
                    out[r] = sensitivity;
                }
            }
        }
        return out;
    }

    /** Mean sensitivity over {@link #FP_RATES}; NaN when no nodule counted. */
    double cpm() {
        return Arrays.stream(sensitivities()).average().orElse(Double.NaN);
    }

    /** How many of the sorted values are at least t. */
    private static int atOrAbove(double[] sorted, double t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return sorted.length - lo;
    }

    private static double[] sortedConcat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        Arrays.sort(out);
        return out;
    }
}
