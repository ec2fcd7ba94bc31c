package org.noduled.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PreprocessorTest {

    @Test
    void prepare_syntheticChest_gridCoversTheLungsButNotTheTable() {
        SyntheticChest chest = new SyntheticChest().size(160, 160, 40).spacing(new Vec3(2.4, 2.4, 3))
                .lungSlices(8, 32);
        SlabSpec spec = new SlabSpec(2.0, 2.5, new HuWindow(-1000, 400), 5, 2, 64, 64, 16);
        PreparedVolume prepared = new Preprocessor(spec).prepare(chest.build());

        ResampledVolume r = prepared.resampled();
        VoxelMapping m = r.mapping();
        Vec3 first = m.toSource(0, 0, r.lungSliceStart());
        Vec3 last = m.toSource(r.columns() - 1, r.rows() - 1, r.lungSliceEnd() - 1);
        assertTrue(first.x() <= chest.column(-110) && last.x() >= chest.column(110), "lungs across");
        assertTrue(first.y() <= chest.row(-80) && last.y() >= chest.row(50), "lungs front to back");
        assertTrue(last.y() < chest.row(SyntheticChest.TABLE_TOP), "stops before the table");
        assertTrue(first.z() <= 8 && last.z() >= 31, "lung slices 8..31, got " + first.z() + ".." + last.z());

        SlabPlan plan = prepared.plan();
        assertEquals(0, plan.tileColumns() % 16);
        assertTrue(plan.tileColumns() <= 64 && plan.tileRows() <= 64);
        assertTrue(plan.windows().size() > 1);
        // The windows' centre slices step by the stride from the first lung slice.
        assertEquals(r.lungSliceStart(), plan.windows().get(0).centreSlice());
    }
}
