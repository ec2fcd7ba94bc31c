package org.noduled.detect;

import java.nio.FloatBuffer;

/**
 * The model's outputs for every slab window of a series, window after window in plan order:
 * heatmap {@code [windows, 1, rows, columns]} and regression {@code [windows, channels, rows, columns]},
 * on the output grid (the tile at the card's output stride). Views on buffers the inference reuses, valid
 * until the next series runs.
 */
record SlabOutputs(FloatBuffer heatmaps, FloatBuffer regressions, int windows, int rows, int columns, int channels) {

    int cellsPerWindow() {
        return rows * columns;
    }

    /** Heatmap score of window w at output row q, column p. */
    float score(int w, int q, int p) {
        return heatmaps.get(w * cellsPerWindow() + q * columns + p);
    }

    /** Regression channel c of window w at output row q, column p. */
    float regression(int w, int c, int q, int p) {
        return regressions.get((w * channels + c) * cellsPerWindow() + q * columns + p);
    }
}
