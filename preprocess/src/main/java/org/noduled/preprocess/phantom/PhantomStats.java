package org.noduled.preprocess.phantom;

import java.util.List;

/**
 * Anatomy statistics of a rendered phantom, from its final HU (after blur and noise) and its labels: what
 * the training code checks its own loaded data against.
 *
 * @param lungParenchyma lung voxels that are neither vessel nor nodule
 * @param softTissue     muscle, skin, heart, great vessels, liver, spleen, hila
 * @param fat            subcutaneous, mediastinal and pericardial fat
 * @param bone           cortex and marrow of ribs, spine and sternum
 * @param lungFieldVoxels voxels labelled lung, vessel or nodule
 * @param vesselVoxels   voxels labelled vessel (inside the lungs by construction)
 * @param nodules        per planted nodule, in id order
 */
public record PhantomStats(TissueStats lungParenchyma, TissueStats softTissue, TissueStats fat, TissueStats bone,
        long lungFieldVoxels, long vesselVoxels, List<NoduleStats> nodules) {

    public PhantomStats {
        nodules = List.copyOf(nodules);
    }

    /** Vessel voxels over lung-field voxels. */
    public double vesselFractionInLungs() {
        return lungFieldVoxels == 0 ? 0 : (double) vesselVoxels / lungFieldVoxels;
    }

    /** Count, mean and (population) standard deviation of HU over one tissue's voxels. */
    public record TissueStats(long voxels, double meanHu, double stdHu) {
    }

    /** Voxels labelled as nodule {@code id} (fraction >= 0.5) and their mean HU. */
    public record NoduleStats(int id, long voxels, double meanHu) {
    }
}
