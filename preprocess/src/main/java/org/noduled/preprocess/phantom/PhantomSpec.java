package org.noduled.preprocess.phantom;

/**
 * What phantom to make: the seed, the scan grid and the knobs a test or a training run turns.
 *
 * <p>The anatomy lives in a fixed patient frame in millimetres (LPS, the scan centred on the origin), so
 * changing the grid changes what is seen, not the patient: a smaller field of view crops the body, fewer
 * slices cover a shorter stretch of the chest.
 *
 * @param seed             any long; the same spec always gives byte-identical voxels
 * @param columns          image width in pixels
 * @param rows             image height in pixels
 * @param slices           number of axial slices
 * @param pixelSpacingMm   in-plane spacing (square pixels)
 * @param sliceSpacingMm   distance between slice centres, also the slice thickness
 * @param minNodules       fewest nodules (inclusive)
 * @param maxNodules       most nodules (inclusive); the count is uniform in [min, max]
 * @param noiseHu          standard deviation of the correlated noise as it appears in the image, HU
 */
public record PhantomSpec(long seed, int columns, int rows, int slices, double pixelSpacingMm,
        double sliceSpacingMm, int minNodules, int maxNodules, double noiseHu) {

    static final int DEFAULT_COLUMNS = 512;
    static final int DEFAULT_ROWS = 512;
    static final int DEFAULT_SLICES = 300;
    static final double DEFAULT_PIXEL_SPACING_MM = 0.7;
    static final double DEFAULT_SLICE_SPACING_MM = 1.0;
    static final int DEFAULT_MIN_NODULES = 1;
    static final int DEFAULT_MAX_NODULES = 6;
    static final double DEFAULT_NOISE_HU = 25;
    static final int MAX_NODULES = 20;

    public PhantomSpec {
        require(columns >= 16 && columns <= 2048, "columns must be 16..2048, got " + columns);
        require(rows >= 16 && rows <= 2048, "rows must be 16..2048, got " + rows);
        require(slices >= 1 && slices <= 2000, "slices must be 1..2000, got " + slices);
        require(pixelSpacingMm >= 0.1 && pixelSpacingMm <= 10, "pixel spacing must be 0.1..10 mm, got " + pixelSpacingMm);
        require(sliceSpacingMm >= 0.2 && sliceSpacingMm <= 10, "slice spacing must be 0.2..10 mm, got " + sliceSpacingMm);
        require(minNodules >= 0 && maxNodules <= MAX_NODULES && minNodules <= maxNodules,
                "nodule count must be N or MIN-MAX within 0.." + MAX_NODULES + ", got " + minNodules + "-" + maxNodules);
        require(noiseHu >= 0 && noiseHu <= 200, "noise must be 0..200 HU, got " + noiseHu);
    }

    /** The default series of issue 2: 512x512x300, 0.7 mm pixels, 1 mm slices, 1-6 nodules, 25 HU noise. */
    public static PhantomSpec defaults(long seed) {
        return new PhantomSpec(seed, DEFAULT_COLUMNS, DEFAULT_ROWS, DEFAULT_SLICES, DEFAULT_PIXEL_SPACING_MM,
                DEFAULT_SLICE_SPACING_MM, DEFAULT_MIN_NODULES, DEFAULT_MAX_NODULES, DEFAULT_NOISE_HU);
    }

    public PhantomSpec withSeed(long newSeed) {
        return new PhantomSpec(newSeed, columns, rows, slices, pixelSpacingMm, sliceSpacingMm, minNodules,
                maxNodules, noiseHu);
    }

    public PhantomSpec withGrid(int newColumns, int newRows, int newSlices, double newPixelSpacingMm,
            double newSliceSpacingMm) {
        return new PhantomSpec(seed, newColumns, newRows, newSlices, newPixelSpacingMm, newSliceSpacingMm,
                minNodules, maxNodules, noiseHu);
    }

    public PhantomSpec withNodules(int min, int max) {
        return new PhantomSpec(seed, columns, rows, slices, pixelSpacingMm, sliceSpacingMm, min, max, noiseHu);
    }

    public PhantomSpec withNoiseHu(double newNoiseHu) {
        return new PhantomSpec(seed, columns, rows, slices, pixelSpacingMm, sliceSpacingMm, minNodules,
                maxNodules, newNoiseHu);
    }

    /** "N" or "MIN-MAX" (the form the command line takes). */
    String noduleCountText() {
        return minNodules == maxNodules ? Integer.toString(minNodules) : minNodules + "-" + maxNodules;
    }

    /**
     * Parses "N" or "MIN-MAX" into {min, max}.
     *
     * @throws IllegalArgumentException with the offending text
     */
    public static int[] parseNoduleCount(String text) {
        String t = text.trim();
        try {
            int dash = t.indexOf('-', 1);
            if (dash < 0) {
                int n = Integer.parseInt(t);
                return new int[] {n, n};
            }
            return new int[] {Integer.parseInt(t.substring(0, dash).trim()),
                Integer.parseInt(t.substring(dash + 1).trim())};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("nodule count must be N or MIN-MAX (for example 3 or 1-6), got '"
                    + text + "'", e);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
