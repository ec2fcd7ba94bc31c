package org.noduled.preprocess;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LungCropTest {

    @Test
    void find_twoLungs_boxHoldsBothLungsAndNotTheTable() {
        SyntheticChest chest = new SyntheticChest().hollowTable();
        VoxelBox box = LungCrop.find(chest.build());

        double leftLungEdge = chest.column(-SyntheticChest.LUNG_CX - SyntheticChest.LUNG_AX);
        double rightLungEdge = chest.column(SyntheticChest.LUNG_CX + SyntheticChest.LUNG_AX);
        double lungTop = chest.row(SyntheticChest.LUNG_CY - SyntheticChest.LUNG_AY);
        double lungBottom = chest.row(SyntheticChest.LUNG_CY + SyntheticChest.LUNG_AY);
        assertTrue(box.i0() <= leftLungEdge && box.i1() > rightLungEdge, "both lungs across: " + box);
        assertTrue(box.j0() <= lungTop && box.j1() > lungBottom, "lungs front to back: " + box);
        assertTrue(box.k0() <= 6 && box.k1() >= 24, "lung slices 6..23: " + box);

        double marginPx = LungCrop.MARGIN_MM / 3 + 1;
        double analysisPx = 1; // 3 mm voxels are analysed at full resolution
        assertTrue(box.j1() < chest.row(SyntheticChest.TABLE_TOP), "table excluded: " + box);
        assertTrue(box.i0() >= leftLungEdge - marginPx - analysisPx && box.i1() <= rightLungEdge + marginPx + 1,
                "no more than the margin beside the lungs: " + box);
        assertTrue(box.j1() <= lungBottom + marginPx + analysisPx + 1, "no more than the margin behind: " + box);
    }

    @Test
    void find_lungsOnSomeSlices_zRangeFollowsLungsPlusMargin() {
        // 1 mm slices: the analysis samples every 5th slice, the margin adds 10 mm plus one step.
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
