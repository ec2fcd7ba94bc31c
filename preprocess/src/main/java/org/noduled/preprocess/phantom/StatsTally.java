package org.noduled.preprocess.phantom;

import java.util.ArrayList;
import java.util.List;

/**
 * Integer sums per label (count, sum of HU, sum of HU squared). Integer addition is exact and associative,
 * so per-slice tallies merge to the same totals whatever the thread count or order.
 */
final class StatsTally {

    private final long[] count = new long[256];
    private final long[] sum = new long[256];
    private final long[] sumSquares = new long[256];

    void add(short[] hu, byte[] labels) {
        for (int p = 0; p < hu.length; p++) {
            int label = labels[p] & 0xFF;
            long v = hu[p];
            count[label]++;
            sum[label] += v;
            sumSquares[label] += v * v;
        }
    }

    void add(StatsTally other) {
        for (int l = 0; l < 256; l++) {
            count[l] += other.count[l];
            sum[l] += other.sum[l];
            sumSquares[l] += other.sumSquares[l];
        }
    }

    PhantomStats toStats(int noduleCount) {
        List<PhantomStats.NoduleStats> nodules = new ArrayList<>();
        for (int n = 0; n < noduleCount; n++) {
            int l = Tissue.NODULE_BASE + n;
            nodules.add(new PhantomStats.NoduleStats(n + 1, count[l], count[l] == 0 ? 0 : (double) sum[l] / count[l]));
        }
        long lungField = count[Tissue.LUNG] + count[Tissue.VESSEL];
        for (int n = 0; n < noduleCount; n++) {
            lungField += count[Tissue.NODULE_BASE + n];
        }
        return new PhantomStats(tissue(Tissue.LUNG), tissue(Tissue.SOFT_TISSUE), tissue(Tissue.FAT),
                tissue(Tissue.BONE), lungField, count[Tissue.VESSEL], nodules);
    }

    private PhantomStats.TissueStats tissue(int l) {
        if (count[l] == 0) {
            return new PhantomStats.TissueStats(0, 0, 0);
        }
        double mean = (double) sum[l] / count[l];
        double variance = (double) sumSquares[l] / count[l] - mean * mean;
        return new PhantomStats.TissueStats(count[l], mean, Math.sqrt(Math.max(0, variance)));
    }
}
