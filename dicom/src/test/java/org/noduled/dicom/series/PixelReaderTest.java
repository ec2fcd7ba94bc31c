package org.noduled.dicom.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HU conversion against a plain reference, on every 16-bit pattern and on a realistic CT range. */
class PixelReaderTest {

    private static PixelFormat format(int bitsStored, boolean signed) {
        return new PixelFormat(256, 256, 1, 16, bitsStored, bitsStored - 1, signed, 1, "MONOCHROME2");
    }

    /** Stored word -> HU as PS3.3 C.7.6.3.1 and C.11.1.1.2 describe it, clipped to the short range. */
    private static short reference(short word, int bitsStored, boolean signed, double slope, double intercept) {
        int raw = word & ((1 << bitsStored) - 1);
        if (signed && (raw & (1 << (bitsStored - 1))) != 0) {
            raw -= 1 << bitsStored;
        }
        long hu = Math.round(raw * slope + intercept);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, hu));
    }

    private static void check(short[] words, int bitsStored, boolean signed, double slope, double intercept) {
        short[] expected = new short[words.length];
        int clipped = 0;
        for (int i = 0; i < words.length; i++) {
            expected[i] = reference(words[i], bitsStored, signed, slope, intercept);
            int raw = words[i] & ((1 << bitsStored) - 1);
            if (signed && (raw & (1 << (bitsStored - 1))) != 0) {
                raw -= 1 << bitsStored;
            }
            long exact = Math.round(raw * slope + intercept);
            clipped += exact != expected[i] ? 1 : 0;
        }
        short[] actual = words.clone();
        assertEquals(clipped, PixelReader.toHu(actual, format(bitsStored, signed), slope, intercept), "clipped count");
        assertArrayEquals(expected, actual);
    }

    @ParameterizedTest(name = "bits {0} signed {1} slope {2} intercept {3}")
    @CsvSource({
        "16, true, 1, -1024", "16, true, 1, 0", "16, true, 1, 1024", "16, true, 1, -32768",
        "16, false, 1, -1024", "16, false, 1, -32768", "16, false, 1, 0",
        "12, false, 1, -1024", "12, true, 1, -1024", "12, true, 1, 0",
        "16, true, 2.5, -1000.5", "16, false, 0.5, -1024", "12, false, 1, -1024.5"})
    void toHu_everySixteenBitPattern_matchesTheReference(int bits, boolean signed, double slope, double intercept) {
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) i;
        }
        check(all, bits, signed, slope, intercept);
    }

    @ParameterizedTest(name = "bits {0} signed {1} slope {2} intercept {3}")
    @CsvSource({"16, true, 1, -1024", "16, false, 1, -1024", "12, false, 1, -1024", "16, true, 1, 1024"})
    void toHu_realisticCtRange_matchesTheReference(int bits, boolean signed, double slope, double intercept) {
        // Stored values of air to dense bone: the range the fast integer path handles.
        short[] ct = new short[4096];
        for (int i = 0; i < ct.length; i++) {
            ct[i] = (short) (signed ? i - 2000 : i);
        }
        check(ct, bits, signed, slope, intercept);
    }
}
