package org.noduled.preprocess;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.noduled.preprocess.phantom.Phantom;
import org.noduled.preprocess.phantom.PhantomSpec;

class LungCropTest {

    /**
     * A phantom's lungs between a chest wall of at least 26 mm and a table whose 3 mm shells hold -850 HU foam
     * (test-data/README.md), 1 mm behind the body: a box that ends within the margin behind the lungs leaves
     * the table out, and one that took the foam for lung would reach 27 mm or more beyond them.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void find_phantomChest_boxHoldsBothLungsWithinTheMarginOnEverySide_soNotTheTable(long seed) {
        // 3 mm pixels are analysed at full resolution; 4 mm slices over the middle of the chest, all with lung.
        Phantom phantom = Phantom.plan(PhantomSpec.defaults(seed).withGrid(128, 128, 30, 3, 4));
        CtVolume volume = phantom.render(2).volume();
        VoxelBox lungs = lungVoxels(phantom, volume.geometry());
        VoxelBox box = LungCrop.find(volume);

        assertTrue(box.i0() <= lungs.i0() && box.i1() >= lungs.i1(), "both lungs across: " + box + ", lungs " + lungs);
        assertTrue(box.j0() <= lungs.j0() && box.j1() >= lungs.j1(), "lungs front to back: " + box + ", lungs " + lungs);
        assertTrue(box.k0() <= lungs.k0() && box.k1() >= lungs.k1(), "every lung slice: " + box + ", lungs " + lungs);

        int marginPx = (int) Math.ceil(LungCrop.MARGIN_MM / 3);
        int edgePx = 1; // a pixel half in the lung may read as lung (blur) though its centre lies outside
        assertTrue(box.i0() >= lungs.i0() - marginPx - edgePx && box.i1() <= lungs.i1() + marginPx + edgePx,
                "no more than the margin beside the lungs: " + box + ", lungs " + lungs);
        assertTrue(box.j0() >= lungs.j0() - marginPx - edgePx, "no more than the margin in front: " + box
                + ", lungs " + lungs);
        assertTrue(box.j1() <= lungs.j1() + marginPx + edgePx, "no more than the margin behind, where the table is: "
                + box + ", lungs " + lungs);
    }

    /** The voxels whose centres the phantom places in a lung (parenchyma, vessel or nodule). */
    private static VoxelBox lungVoxels(Phantom phantom, VolumeGeometry g) {
        int i0 = Integer.MAX_VALUE;
        int i1 = -1;
        int j0 = Integer.MAX_VALUE;
        int j1 = -1;
        int k0 = Integer.MAX_VALUE;
        int k1 = -1;
        for (int k = 0; k < g.slices(); k++) {
            for (int j = 0; j < g.rows(); j++) {
                for (int i = 0; i < g.columns(); i++) {
                    if (phantom.inLung(g.toPatient(i, j, k))) {
                        i0 = Math.min(i0, i);
                        i1 = Math.max(i1, i + 1);
                        j0 = Math.min(j0, j);
                        j1 = Math.max(j1, j + 1);
                        k0 = Math.min(k0, k);
                        k1 = Math.max(k1, k + 1);
                    }
                }
            }
        }
        return new VoxelBox(i0, i1, j0, j1, k0, k1);
    }

    @Test
    void find_lungsOnSomeSlices_zRangeFollowsLungsPlusMargin() {
        // A phantom's trachea and stomach gas reach beyond its lungs along z (and count as enclosed air), so the
        // z range is checked on lungs alone. 1 mm slices: the analysis samples every 5th slice, the margin adds
        // 10 mm plus one step.
        SyntheticChest chest = new SyntheticChest().size(128, 128, 120).spacing(new Vec3(3, 3, 1))
                .lungSlices(40, 80);
        VoxelBox box = LungCrop.find(chest.build());
        assertTrue(box.k0() <= 40 && box.k0() >= 40 - 10 - 5, "starts near slice 40: " + box);
        assertTrue(box.k1() >= 80 && box.k1() <= 80 + 10 + 5, "ends near slice 80: " + box);
    }

    @Test
    void find_bodyAndHollowTableWithoutLungs_failsNamingTheSeries() {
        CtVolume noLungs = new SyntheticChest().withoutLungs().hollowTable().build();
        VolumeException e = assertThrows(VolumeException.class, () -> LungCrop.find(noLungs));
        assertTrue(e.getMessage().contains("no lungs found"), e.getMessage());
        assertTrue(e.getMessage().startsWith("series 1.2.826.….77777: "), e.getMessage());
        assertTrue(e.getMessage().contains("chest CT"), e.getMessage());
    }
}
