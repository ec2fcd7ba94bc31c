package org.noduled.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.noduled.preprocess.phantom.Phantom;
import org.noduled.preprocess.phantom.PhantomSpec;

/** Sharing slices out among threads is a speed-up only: the slabs must be bit for bit the same. */
class PreprocessorThreadsTest {

    // 1.5 mm slices onto a 1 mm grid: most resampled slices fall between two source slices, so the parts'
    // boundaries cut through pairs that share a source slice.
    private static final CtVolume CHEST =
            Phantom.plan(PhantomSpec.defaults(7).withGrid(192, 192, 60, 1.8, 1.5)).render(2).volume();

    private static PreparedVolume prepare(SlabSpec spec, int threads) {
        try (Preprocessor p = new Preprocessor(spec, threads)) {
            return p.prepare(CHEST);
        }
    }

    private static void assertBitIdentical(PreparedVolume expected, PreparedVolume actual) {
        assertEquals(expected.lungBox(), actual.lungBox());
        assertEquals(expected.plan(), actual.plan());
        ResampledVolume e = expected.resampled();
        ResampledVolume a = actual.resampled();
        assertEquals(e.mapping(), a.mapping());
        assertEquals(e.columns(), a.columns());
        assertEquals(e.rows(), a.rows());
        assertEquals(e.slices(), a.slices());
        for (int t = 0; t < e.slices(); t++) {
            for (int v = 0; v < e.rows(); v++) {
                for (int u = 0; u < e.columns(); u++) {
                    assertEquals(Float.floatToRawIntBits(e.value(u, v, t)), Float.floatToRawIntBits(a.value(u, v, t)),
                            "resampled (" + u + ", " + v + ", " + t + ")");
                }
            }
        }
    }

    @Test
    void prepare_twoOrThreeThreads_sameBitsAsOneThreadWhenShrinking() {
        SlabSpec spec = new SlabSpec(2.5, 1.0, new HuWindow(-1000, 400), 9, 4, 64, 64, 16);
        PreparedVolume single = prepare(spec, 1);
        assertTrue(single.resampled().slices() > 3 && single.plan().windows().size() > 1,
                "the phantom must give several slices and slabs, got " + single.resampled().slices());
        assertBitIdentical(single, prepare(spec, 2));
        assertBitIdentical(single, prepare(spec, 3));
    }

    @Test
    void prepare_twoThreads_sameBitsAsOneThreadWhenEnlarging() {
        SlabSpec spec = new SlabSpec(1.25, 1.0, new HuWindow(-1000, 400), 5, 2, 128, 128, 16);
        assertBitIdentical(prepare(spec, 1), prepare(spec, 2));
    }

    @Test
    void prepare_afterClose_refusedRatherThanRunOnAStoppedPool() {
        SlabSpec spec = new SlabSpec(2.5, 1.0, new HuWindow(-1000, 400), 9, 4, 64, 64, 16);
        Preprocessor p = new Preprocessor(spec, 2);
        p.prepare(CHEST);
        p.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.prepare(CHEST));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
