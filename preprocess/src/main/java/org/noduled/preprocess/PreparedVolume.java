package org.noduled.preprocess;

import java.util.Objects;

/**
 * A series ready for the model: the source volume (for geometry and slice UIDs), the lung box found in
 * it, its lung crop on the model's grid, and the slab windows to run.
 */
public record PreparedVolume(CtVolume source, VoxelBox lungBox, ResampledVolume resampled, SlabPlan plan) {

    public PreparedVolume {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(lungBox, "lungBox");
        Objects.requireNonNull(resampled, "resampled");
        Objects.requireNonNull(plan, "plan");
    }
}
