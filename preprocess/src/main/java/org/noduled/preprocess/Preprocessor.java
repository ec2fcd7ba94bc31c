package org.noduled.preprocess;

import java.util.Objects;

/** Volume to slabs, for one model: lung crop, then resampling and HU window, then slab windows. */
public final class Preprocessor {

    private final SlabSpec spec;

    public Preprocessor(SlabSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    public SlabSpec spec() {
        return spec;
    }

    /**
     * Prepares one series; the source volume is read, never modified or copied whole.
     *
     * @throws VolumeException if the series shows no lungs
     */
    public PreparedVolume prepare(CtVolume volume) {
        VoxelBox lungs = LungCrop.find(volume);
        ResampledVolume resampled = Resampler.resample(volume, lungs, spec);
        return new PreparedVolume(volume, lungs, resampled, SlabTiler.plan(resampled, spec));
    }
}
