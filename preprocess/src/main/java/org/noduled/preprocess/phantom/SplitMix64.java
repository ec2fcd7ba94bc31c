package org.noduled.preprocess.phantom;

/**
 * SplitMix64 (Steele, Lea and Flood, 2014): the phantom's only source of randomness.
 *
 * <p>Chosen because it is tiny, fast and easy to port exactly (numpy {@code uint64} arithmetic wraps the
 * same way as Java {@code long}). Every structure draws from its own stream, {@link #stream(long, long,
 * long)}, so the output depends on the seed only, never on thread count or rendering order.
 */
final class SplitMix64 {

    static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(long state) {
        this.state = state;
    }

    /** The stream for (seed, stream id, index): state = mix(mix(mix(seed) + stream) + index), wrapping. */
    static SplitMix64 stream(long seed, long streamId, long index) {
        return new SplitMix64(mix(mix(mix(seed) + streamId) + index));
    }

    /** The SplitMix64 finaliser (a bijection on 64 bits). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, 1): the top 53 bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Uniform integer in [lo, hi] inclusive: lo + floor(nextDouble() * (hi - lo + 1)). */
    int uniformInt(int lo, int hi) {
        return lo + (int) (nextDouble() * (hi - lo + 1));
    }

    /** A unit vector uniform on the sphere: z uniform in [-1, 1), azimuth uniform in [0, 2 pi). */
    double[] unitVector() {
        double z = uniform(-1, 1);
        double phi = uniform(0, 2 * Math.PI);
        double s = Math.sqrt(1 - z * z);
        return new double[] {s * StrictMath.cos(phi), s * StrictMath.sin(phi), z};
    }
}
