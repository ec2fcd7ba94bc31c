package org.noduled.preprocess.phantom;

/**
 * Mild low-frequency texture of the lung parenchyma: value noise on an {@link #CELL_MM} lattice anchored at
 * the patient origin, smoothstep-interpolated in x, y and z, amplitude +-{@link #AMPLITUDE_HU}. The value at
 * lattice point (ix, iy, iz) is {@code 2 u - 1} times the amplitude, u the first {@code nextDouble()} of
 * stream (seed, {@link #STREAM}, (ix & 0x1FFFFF) << 42 | (iy & 0x1FFFFF) << 21 | (iz & 0x1FFFFF)).
 */
final class LungTexture {

    static final long STREAM = 4;
    static final double CELL_MM = 8;
    static final double AMPLITUDE_HU = 12;

    private final long seed;

    LungTexture(long seed) {
        this.seed = seed;
    }

    double lattice(long ix, long iy, long iz) {
        long index = (ix & 0x1FFFFF) << 42 | (iy & 0x1FFFFF) << 21 | (iz & 0x1FFFFF);
        return (2 * SplitMix64.stream(seed, STREAM, index).nextDouble() - 1) * AMPLITUDE_HU;
    }

    static double smoothstep(double f) {
        return f * f * (3 - 2 * f);
    }

    /** The texture on the plane at height z for a grid of columns x rows pixels. */
    Plane plane(double z, double ox, double oy, double px, double py, int columns, int rows) {
        return new Plane(z, ox, oy, px, py, columns, rows);
    }

    /** Texture values on one axial plane, with the lattice already interpolated along z. */
    final class Plane {
        private final int[] cellOfColumn;
        private final float[] weightOfColumn;
        private final int[] cellOfRow;
        private final float[] weightOfRow;
        private final float[][] grid;

        private Plane(double z, double ox, double oy, double px, double py, int columns, int rows) {
            cellOfColumn = new int[columns];
            weightOfColumn = new float[columns];
            long gx0 = (long) Math.floor(ox / CELL_MM);
            for (int i = 0; i < columns; i++) {
                double c = (ox + i * px) / CELL_MM;
                long cell = (long) Math.floor(c);
                cellOfColumn[i] = (int) (cell - gx0);
                weightOfColumn[i] = (float) smoothstep(c - cell);
            }
            cellOfRow = new int[rows];
            weightOfRow = new float[rows];
            long gy0 = (long) Math.floor(oy / CELL_MM);
            for (int j = 0; j < rows; j++) {
                double c = (oy + j * py) / CELL_MM;
                long cell = (long) Math.floor(c);
                cellOfRow[j] = (int) (cell - gy0);
                weightOfRow[j] = (float) smoothstep(c - cell);
            }
            double cz = z / CELL_MM;
            long iz = (long) Math.floor(cz);
            double wz = smoothstep(cz - iz);
            int nx = cellOfColumn[columns - 1] + 2;
            int ny = cellOfRow[rows - 1] + 2;
            grid = new float[ny][nx];
            for (int gy = 0; gy < ny; gy++) {
                for (int gx = 0; gx < nx; gx++) {
                    double below = lattice(gx0 + gx, gy0 + gy, iz);
                    double above = lattice(gx0 + gx, gy0 + gy, iz + 1);
                    grid[gy][gx] = (float) (below + wz * (above - below));
                }
            }
        }

        float value(int i, int j) {
            int gx = cellOfColumn[i];
            int gy = cellOfRow[j];
            float wx = weightOfColumn[i];
            float wy = weightOfRow[j];
            float[] g0 = grid[gy];
            float[] g1 = grid[gy + 1];
            float top = g0[gx] + wx * (g0[gx + 1] - g0[gx]);
            float bottom = g1[gx] + wx * (g1[gx + 1] - g1[gx]);
            return top + wy * (bottom - top);
        }
    }
}
