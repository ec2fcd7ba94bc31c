package org.noduled.preprocess.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CorrelatedNoiseTest {

    private static final int SIZE = 256;

    private static float[] noise(double noiseHu) {
        float[] pixels = new float[SIZE * SIZE];
        CorrelatedNoise.addWhite(pixels, 42, 3, noiseHu / CorrelatedNoise.BLUR_NOISE_GAIN);
        CorrelatedNoise.blur(pixels, new float[pixels.length], SIZE, SIZE);
        return pixels;
    }

    /** Correlation between pixels {@code lag} columns apart, away from the edges. */
    private static double correlation(float[] p, int lag) {
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int j = 4; j < SIZE - 4; j++) {
            for (int i = 4; i < SIZE - 4 - lag; i++) {
                double x = p[j * SIZE + i];
                double y = p[j * SIZE + i + lag];
                sx += x;
                sy += y;
                sxx += x * x;
                syy += y * y;
                sxy += x * y;
                n++;
            }
        }
        double cov = sxy / n - sx / n * sy / n;
        return cov / Math.sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
    }

    @Test
    void noise_hasTheRequestedStandardDeviation_andZeroMean() {
        float[] p = noise(25);
        double sum = 0;
        double squares = 0;
        for (float v : p) {
            sum += v;
            squares += v * v;
        }
        double mean = sum / p.length;
        assertEquals(0, mean, 0.5);
        assertEquals(25, Math.sqrt(squares / p.length - mean * mean), 1.0);
    }

    @Test
    void noise_isSpatiallyCorrelatedBetweenNeighbours_butNotBeyondTheKernel() {
        float[] p = noise(25);
        assertTrue(correlation(p, 1) > 0.7, "neighbour correlation " + correlation(p, 1));
        assertTrue(Math.abs(correlation(p, 6)) < 0.05, "correlation at 6 pixels " + correlation(p, 6));
    }

    @Test
    void renderedPhantom_airOutsideTheBody_carriesCorrelatedNoise() {
        Phantom p = Phantom.plan(PhantomSpec.defaults(5).withNoiseHu(15).withNodules(0, 0));
        int columns = p.geometry().columns();
        short[] hu = new short[columns * p.geometry().rows()];
        p.renderSlice(150, hu, new byte[hu.length]);
        // The top 40 rows are air in front of the chest.
        double sum = 0;
        double squares = 0;
        double products = 0;
        int n = 0;
        for (int j = 2; j < 40; j++) {
            for (int i = 2; i < columns - 3; i++) {
                double v = hu[j * columns + i] + 1000;
                double right = hu[j * columns + i + 1] + 1000;
                sum += v;
                squares += v * v;
                products += v * right;
                n++;
            }
        }
        double mean = sum / n;
        double variance = squares / n - mean * mean;
        assertEquals(0, mean, 1.0, "air should average -1000 HU");
        assertEquals(15, Math.sqrt(variance), 1.5);
        assertTrue((products / n - mean * mean) / variance > 0.6, "neighbour correlation in air");
    }

    @Test
    void zeroNoise_leavesTheImageUntouched() {
        float[] pixels = {1, 2, 3};
        CorrelatedNoise.addWhite(pixels, 1, 1, 0);
        assertEquals(2, pixels[1]);
    }
}
