package org.noduled.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TimingsTest {

    @Test
    void percentiles_useNearestRankOfTheSortedTimes() {
        Timings t = new Timings(new double[] {5, 1, 4, 2, 3, 10, 9, 8, 7, 6});
        assertEquals(1, t.min());
        assertEquals(5, t.p50());
        assertEquals(10, t.p95());
        assertEquals(9, t.percentile(90));
    }

    @Test
    void percentiles_ofOneTime_areThatTime() {
        Timings t = new Timings(new double[] {42});
        assertEquals(42, t.p50());
        assertEquals(42, t.p95());
    }
}
