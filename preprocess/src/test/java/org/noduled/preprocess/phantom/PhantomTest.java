package org.noduled.preprocess.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.noduled.preprocess.CtVolume;

class PhantomTest {

    /** The whole chest on a coarse grid: 96 x 96 x 30 at 3.75 mm and 10 mm. */
    static PhantomSpec small(long seed) {
        return PhantomSpec.defaults(seed).withGrid(96, 96, 30, 3.75, 10);
    }

    @Test
    void sameSeed_givesIdenticalVoxelsAndStats_whateverTheThreadCount() {
        PhantomSeries one = Phantom.plan(small(7)).render(1);
        PhantomSeries three = Phantom.plan(small(7)).render(3);
        for (int k = 0; k < one.volume().geometry().slices(); k++) {
            assertArrayEquals(one.volume().sliceHu(k), three.volume().sliceHu(k), "slice " + k);
        }
        assertEquals(one.stats(), three.stats());
        assertEquals(one.phantom().nodules(), three.phantom().nodules());
        assertEquals(one.volume().sliceInstanceUids(), three.volume().sliceInstanceUids());
    }

    @Test
    void differentSeeds_giveDifferentPatients() {
        CtVolume a = Phantom.plan(small(1)).render(2).volume();
        CtVolume b = Phantom.plan(small(2)).render(2).volume();
        int k = a.geometry().slices() / 2;
        assertFalse(java.util.Arrays.equals(a.sliceHu(k), b.sliceHu(k)));
        assertNotEquals(a.seriesInstanceUid(), b.seriesInstanceUid());
    }

    @Test
    void volume_isAxialLpsCentredOnTheOrigin_withSlicesGoingUp() {
        CtVolume v = Phantom.plan(small(1)).render(2).volume();
        assertEquals(96, v.geometry().columns());
        assertEquals(30, v.geometry().slices());
        assertEquals(0, v.geometry().toPatient(47.5, 47.5, 14.5).norm(), 1e-9);
        assertTrue(v.geometry().slicePositionMm(1).z() > v.geometry().slicePositionMm(0).z());
        assertEquals(1, v.geometry().rowDirection().x());
        assertEquals(1, v.geometry().columnDirection().y());
    }

    @Test
    void everyUid_sitsUnderTheProjectRoot_andFitsDicom() {
        Phantom p = Phantom.plan(PhantomSpec.defaults(Long.MIN_VALUE).withGrid(2048, 2048, 2000, 0.2, 0.2)
                .withNodules(0, 0));
        for (String uid : new String[] {p.uids().study(), p.uids().series(), p.uids().frameOfReference(),
            p.uids().instance(1999)}) {
            assertTrue(uid.startsWith(PhantomUids.ROOT + "."), uid);
            assertTrue(uid.length() <= 64, uid + " is " + uid.length() + " characters");
            assertTrue(uid.matches("[0-9]+(\\.(0|[1-9][0-9]*))+"), uid);
        }
    }

    @Test
    void stats_describeAPlausibleChest() {
        PhantomStats s = Phantom.plan(PhantomSpec.defaults(3).withGrid(192, 192, 60, 1.87, 5)).render(2).stats();
        assertTrue(s.lungParenchyma().meanHu() > -900 && s.lungParenchyma().meanHu() < -780,
                "lung " + s.lungParenchyma());
        assertTrue(s.fat().meanHu() > -130 && s.fat().meanHu() < -60, "fat " + s.fat());
        assertTrue(s.softTissue().meanHu() > 0 && s.softTissue().meanHu() < 80, "soft tissue " + s.softTissue());
        assertTrue(s.bone().meanHu() > 200, "bone " + s.bone());
        assertTrue(s.vesselFractionInLungs() > 0.02 && s.vesselFractionInLungs() < 0.2,
                "vessel fraction " + s.vesselFractionInLungs());
        assertTrue(s.lungFieldVoxels() > s.vesselVoxels());
    }
}
