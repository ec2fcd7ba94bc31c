package org.noduled.runtime;

import java.util.Locale;
import org.noduled.detect.Stage;

/**
 * The stages of one series through the node, in the order they run: the detector's three inside, ingest
 * before them and the report after. Each is timed by {@link SeriesChain}, never by the stage itself.
 */
enum PipelineStage {
    /** Files (in the page cache, or from disk) to an HU volume: header parse, stack check, pixels, rescale. */
    LOAD,
    /** Lung crop, resampling, HU window, slab plan (inside the detector). */
    PREPROCESS,
    /** Slab batches through ONNX Runtime (inside the detector). */
    INFER,
    /** Heatmap peaks to findings in patient mm (inside the detector). */
    DECODE,
    /** The SR built, written to the output folder and fsynced into the outbox; findings.json written. */
    REPORT;

    /** The name in logs and JSON keys: load, preprocess, ... */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static PipelineStage of(Stage detectorStage) {
        return switch (detectorStage) {
            case PREPROCESS -> PREPROCESS;
            case INFER -> INFER;
            case DECODE -> DECODE;
        };
    }
}
