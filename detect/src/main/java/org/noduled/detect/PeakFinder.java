package org.noduled.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Local maxima of one window's heatmap: cells scoring at least the threshold and no less than every
 * cell in the {@code window x window} neighbourhood (cut at the map's border), as training's decoder
 * finds them. Every cell of a flat top counts; non-maximum suppression merges them.
 */
final class PeakFinder {

    /** A peak at output row q, column p. */
    record Peak(int q, int p, float score) {
    }

    private PeakFinder() {
    }

    static List<Peak> peaks(SlabOutputs outputs, int w, int window, double threshold) {
        int half = window / 2;
        List<Peak> peaks = new ArrayList<>();
        for (int q = 0; q < outputs.rows(); q++) {
            for (int p = 0; p < outputs.columns(); p++) {
                float v = outputs.score(w, q, p);
                if (v >= threshold && isPeak(outputs, w, q, p, v, half)) {
                    peaks.add(new Peak(q, p, v));
                }
            }
        }
        return peaks;
    }

    private static boolean isPeak(SlabOutputs o, int w, int q, int p, float v, int half) {
        for (int dq = -half; dq <= half; dq++) {
            int qq = q + dq;
            if (qq < 0 || qq >= o.rows()) {
                continue;
            }
            for (int dp = -half; dp <= half; dp++) {
                int pp = p + dp;
                if (pp < 0 || pp >= o.columns() || (dq == 0 && dp == 0)) {
                    continue;
                }
                if (o.score(w, qq, pp) > v) {
                    return false;
                }
            }
        }
        return true;
    }
}
