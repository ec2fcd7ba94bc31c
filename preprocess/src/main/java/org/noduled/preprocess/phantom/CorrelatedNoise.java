package org.noduled.preprocess.phantom;

/**
 * What the scanner adds to the ideal slice: white quantum noise, then the reconstruction kernel's blur, a
 * separable binomial [1 4 6 4 1]/16 along rows and then columns (edges repeated). The blur acts on image
 * and noise alike, so edges get partial volume and the noise comes out spatially correlated (correlation
 * 56/70 = 0.8 between neighbours) as in real CT, never white.
 *
 * <p>The white noise per pixel is an Irwin-Hall(4) approximation of a unit normal: the four 16-bit lanes
 * {@code L0..L3} of one SplitMix64 draw give {@code ((L0+L1+L2+L3+2) / 65536 - 2) * sqrt(3)}. Draws come
 * from stream (seed, {@link #STREAM}, k) in row-major order. The blur shrinks the noise's standard
 * deviation by exactly 70/256, so white noise of {@code noiseHu * 256/70} gives {@code noiseHu} in the image.
 */
final class CorrelatedNoise {

    static final long STREAM = 5;
    /** Noise standard deviation after the blur per unit before it: sqrt(sum of the 2-D kernel's squared taps). */
    static final double BLUR_NOISE_GAIN = 70.0 / 256.0;
    private static final float SQRT3 = (float) Math.sqrt(3);

    private CorrelatedNoise() {
    }

    /** Adds white noise of standard deviation {@code sigmaHu} to every pixel of slice k. */
    static void addWhite(float[] pixels, long seed, int k, double sigmaHu) {
        if (sigmaHu == 0) {
            return;
        }
        SplitMix64 rng = SplitMix64.stream(seed, STREAM, k);
        float scale = (float) sigmaHu * SQRT3;
        for (int p = 0; p < pixels.length; p++) {
            long v = rng.nextLong();
            long lanes = (v & 0xFFFF) + ((v >>> 16) & 0xFFFF) + ((v >>> 32) & 0xFFFF) + (v >>> 48);
            pixels[p] += ((lanes + 2) * (1f / 65536f) - 2f) * scale;
        }
    }

    /** Blurs {@code pixels} (row-major, columns x rows) in place; {@code scratch} is the same size. */
    static void blur(float[] pixels, float[] scratch, int columns, int rows) {
        for (int j = 0; j < rows; j++) {
            int row = j * columns;
            for (int i = 0; i < columns; i++) {
                if (i == 2 && columns > 4) {
                    // Interior: no edge clamping needed.
                    for (; i < columns - 2; i++) {
                        int p = row + i;
                        scratch[p] = taps(pixels[p - 2], pixels[p - 1], pixels[p], pixels[p + 1], pixels[p + 2]);
                    }
                    if (i >= columns) {
                        break;
                    }
                }
                float v0 = pixels[row + Math.max(i - 2, 0)];
                float v1 = pixels[row + Math.max(i - 1, 0)];
                float v3 = pixels[row + Math.min(i + 1, columns - 1)];
                float v4 = pixels[row + Math.min(i + 2, columns - 1)];
                scratch[row + i] = taps(v0, v1, pixels[row + i], v3, v4);
            }
        }
        for (int j = 0; j < rows; j++) {
            int r0 = Math.max(j - 2, 0) * columns;
            int r1 = Math.max(j - 1, 0) * columns;
            int r2 = j * columns;
            int r3 = Math.min(j + 1, rows - 1) * columns;
            int r4 = Math.min(j + 2, rows - 1) * columns;
            for (int i = 0; i < columns; i++) {
                pixels[r2 + i] = taps(scratch[r0 + i], scratch[r1 + i], scratch[r2 + i], scratch[r3 + i], scratch[r4 + i]);
            }
        }
    }

    private static float taps(float v0, float v1, float v2, float v3, float v4) {
        return ((v0 + v4) + 4f * (v1 + v3) + 6f * v2) * 0.0625f;
    }
}
