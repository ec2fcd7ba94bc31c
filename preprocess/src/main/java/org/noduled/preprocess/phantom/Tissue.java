package org.noduled.preprocess.phantom;

/**
 * Voxel labels of a rendered slice: what was painted at the voxel centre before blur and noise. Vessel and
 * nodule labels mark voxels at least half covered (partial-volume fraction >= 0.5). Nodule n (0-based in
 * planting order) is {@code NODULE_BASE + n}. Lung, vessel and nodule labels are only ever painted inside
 * the lungs.
 */
final class Tissue {

    static final byte AIR = 0;
    static final byte TABLE = 1;
    static final byte FAT = 2;
    static final byte SOFT_TISSUE = 3;
    static final byte BONE = 4;
    static final byte LUNG = 5;
    static final byte VESSEL = 6;
    /** Air inside the body: airway lumen, stomach gas. */
    static final byte GAS = 7;
    /** Cartilage, discs, spinal canal, stomach fluid: kept out of the tissue statistics. */
    static final byte OTHER = 8;
    static final int NODULE_BASE = 16;

    private Tissue() {
    }

    static boolean isLungField(byte label) {
        return label == LUNG || label == VESSEL || label >= NODULE_BASE;
    }
}
