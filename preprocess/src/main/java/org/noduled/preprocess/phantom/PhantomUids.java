package org.noduled.preprocess.phantom;

/**
 * DICOM UIDs of a phantom series, deterministic from its spec.
 *
 * <p>All sit under the project root {@link #ROOT}, a UUID-derived OID (ISO/IEC 9834-8, arc 2.25) made once
 * for noduled phantoms. Below it: {@code .1.KEY} study, {@code .2.KEY} series, {@code .3.KEY} frame of
 * reference, {@code .4.KEY.N} the image of slice N (1-based, slice order from feet to head). KEY is a
 * 40-bit hash of the spec and generator version (at most 13 digits), so two different phantoms never share
 * a UID and every UID stays within DICOM's 64 characters.
 */
public final class PhantomUids {

    static final String ROOT = "2.25.74091086376311058890450236474061625269";

    private final String key;

    PhantomUids(PhantomSpec spec) {
        long h = SplitMix64.mix(spec.seed());
        long[] fields = {Phantom.GENERATOR_VERSION, spec.columns(), spec.rows(), spec.slices(),
            Double.doubleToLongBits(spec.pixelSpacingMm()), Double.doubleToLongBits(spec.sliceSpacingMm()),
            spec.minNodules(), spec.maxNodules(), Double.doubleToLongBits(spec.noiseHu())};
        for (long field : fields) {
            h = SplitMix64.mix(h + field);
        }
        this.key = Long.toString(h & 0xFF_FFFF_FFFFL);
    }

    public String study() {
        return ROOT + ".1." + key;
    }

    public String series() {
        return ROOT + ".2." + key;
    }

    public String frameOfReference() {
        return ROOT + ".3." + key;
    }

    /** SOP Instance UID of slice k (0-based, sorted from feet to head). */
    public String instance(int k) {
        return ROOT + ".4." + key + "." + (k + 1);
    }
}
