package org.noduled.detect;

/** The detector's stages, in the order they run; each is timed by the pipeline, not by itself. */
public enum Stage {
    /** Lung crop, resampling, HU window, slab plan. */
    PREPROCESS,
    /** Filling slab batches and running the model on them. */
    INFER,
    /** Heatmap peaks to findings: refinement, mapping to patient mm, non-maximum suppression. */
    DECODE
}
