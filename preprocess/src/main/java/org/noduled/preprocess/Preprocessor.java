package org.noduled.preprocess;

import java.util.Objects;

/**
 * Volume to slabs, for one model: lung crop, then resampling and HU window, then slab windows. Slices
 * are shared out among a few threads that this preprocessor owns until {@link #close}; the slabs are
 * the same whatever their number.
 */
public final class Preprocessor implements AutoCloseable {

    private final SlabSpec spec;
    private final SliceWorkers workers;

    /** A preprocessor that works on the calling thread only. */
    public Preprocessor(SlabSpec spec) {
        this(spec, 1);
    }

    /**
     * @param threads threads preparing one series, the caller's included (1: the caller's only); the
     *                others are started here and stopped by {@link #close}
     */
    public Preprocessor(SlabSpec spec, int threads) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.workers = new SliceWorkers(threads);
    }

    public SlabSpec spec() {
        return spec;
    }

    public int threads() {
        return workers.threads();
    }

    /**
     * Prepares one series; the source volume is read, never modified or copied whole.
     *
     * @throws VolumeException if the series shows no lungs
     */
    public PreparedVolume prepare(CtVolume volume) {
        VoxelBox lungs = LungCrop.find(volume, workers);
        ResampledVolume resampled = Resampler.resample(volume, lungs, spec, workers);
        return new PreparedVolume(volume, lungs, resampled, SlabTiler.plan(resampled, spec));
    }

    /** Stops the worker threads; series being prepared finish first. */
    @Override
    public void close() {
        workers.close();
    }
}
