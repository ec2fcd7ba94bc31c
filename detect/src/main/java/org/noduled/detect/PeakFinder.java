package org.noduled.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Local maxima of one window's heatmap: cells scoring at least the threshold and no less than every
 * cell in the {@code window x window} neighbourhood. On a plateau of equal scores only the first cell in
 * row-major order counts, so a flat top gives one peak, not several.
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
                float n = o.score(w, qq, pp);
                boolean earlier = dq < 0 || (dq == 0 && dp < 0);
                if (n > v || (earlier && n == v)) {
                    return false;
                }
            }
        }
        return true;
    }
}
