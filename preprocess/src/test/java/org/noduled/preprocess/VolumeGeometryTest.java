package org.noduled.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VolumeGeometryTest {

    private static void assertNear(Vec3 expected, Vec3 actual) {
        assertEquals(expected.x(), actual.x(), 1e-9, "x");
        assertEquals(expected.y(), actual.y(), 1e-9, "y");
        assertEquals(expected.z(), actual.z(), 1e-9, "z");
    }

    @Test
    void toPatient_axialStack_matchesHandComputedPoint() {
        VolumeGeometry g = VolumeGeometry.axial(512, 512, 300, new Vec3(-179.3, -200.0, -310.0),
                new Vec3(0.7, 0.7, 1.0));
        // voxel (100, 50, 10): x = -179.3 + 100*0.7, y = -200 + 50*0.7, z = -310 + 10*1.0
        assertNear(new Vec3(-109.3, -165.0, -300.0), g.toPatient(100, 50, 10));
    }

    @Test
    void toPatient_slicesSortedFeetFirst_runsDownward() {
        // A stack whose k axis points to the feet (-z): slice k lies 2.5 mm below slice k-1.
        VolumeGeometry g = new VolumeGeometry(4, 4, 3, new Vec3(0, 0, 100),
                new Vec3(1, 0, 0), new Vec3(0, 1, 0), new Vec3(0, 0, -1), new Vec3(1, 1, 2.5));
        assertNear(new Vec3(1, 2, 95), g.toPatient(1, 2, 2));
        assertNear(new Vec3(1, 2, 2), g.toVoxel(new Vec3(1, 2, 95)));
    }

    @Test
    void toVoxel_invertsToPatient_forRotatedAxes() {
        // Rows run along -x (columns flipped), columns along +y.
        VolumeGeometry g = new VolumeGeometry(10, 10, 10, new Vec3(5, -3, 7),
                new Vec3(-1, 0, 0), new Vec3(0, 1, 0), new Vec3(0, 0, 1), new Vec3(0.5, 0.8, 1.25));
        Vec3 p = g.toPatient(3.5, 2.25, 7);
        assertNear(new Vec3(5 - 1.75, -3 + 1.8, 7 + 8.75), p);
        assertNear(new Vec3(3.5, 2.25, 7), g.toVoxel(p));
    }

    @Test
    void constructor_obliqueAxes_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VolumeGeometry(2, 2, 2, Vec3.ZERO, new Vec3(1, 0, 0),
                        new Vec3(0, 0.8, 0.6), new Vec3(0, 0, 1), new Vec3(1, 1, 1)));
        assertTrue(e.getMessage().contains("orthogonal"), e.getMessage());
    }
}
