package org.noduled.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    private static final HuWindow WINDOW = new HuWindow(-1000, 400);

    private static SlabSpec spec(double pixelMm, double sliceMm) {
        return new SlabSpec(pixelMm, sliceMm, WINDOW, 5, 2, 64, 64, 16);
    }

    private static CtVolume volume(VolumeGeometry g, HuField field) {
        short[][] hu = new short[g.slices()][g.columns() * g.rows()];
        List<String> uids = new ArrayList<>();
        for (int k = 0; k < g.slices(); k++) {
            for (int j = 0; j < g.rows(); j++) {
                for (int i = 0; i < g.columns(); i++) {
                    hu[k][j * g.columns() + i] = field.hu(i, j, k);
                }
            }
            uids.add("1.2.3." + k);
        }
        return new CtVolume("1.2.3.99", "1.2.3.98", g, hu, uids);
    }

    interface HuField {
        short hu(int i, int j, int k);
    }

    @Test
    void resample_linearHuRamp_everyResampledValueEqualsTheRampAtItsMappedSourcePoint() {
        // Area averaging and linear interpolation reproduce a linear field exactly at the pixel centres
        // they claim: so the mapping is right if resampled(u, v, t) == ramp(mapping(u, v, t)).
        VolumeGeometry g = VolumeGeometry.axial(120, 100, 40, new Vec3(-50, -40, 10), new Vec3(0.7, 0.8, 1.0));
        CtVolume v = volume(g, (i, j, k) -> (short) (-950 + 5 * i + 5 * j + 2 * k));
        VoxelBox box = new VoxelBox(30, 90, 20, 70, 10, 30);
        ResampledVolume r = Resampler.resample(v, box, spec(1.25, 2.5));

        assertEquals(0, r.columns() % 16);
        assertEquals(0, r.rows() % 16);
        int checked = 0;
        for (int t = 0; t < r.slices(); t++) {
            for (int vv = 1; vv < r.rows() - 1; vv++) {
                for (int u = 1; u < r.columns() - 1; u++) {
                    Vec3 s = r.mapping().toSource(u, vv, t);
                    // Only pixels whose whole area lies inside the image (edge pixels are partly outside).
                    if (s.x() < 1 || s.x() > g.columns() - 2 || s.y() < 1 || s.y() > g.rows() - 2) {
                        continue;
                    }
                    double expectedHu = -950 + 5 * s.x() + 5 * s.y() + 2 * s.z();
                    // OpenCV rounds resized HU to whole numbers: 1 HU is 0.2 source pixels of this ramp.
                    assertEquals(WINDOW.normalise(expectedHu), r.value(u, vv, t), 1.0 / 1400,
                            "at resampled " + u + "," + vv + "," + t + " = source " + s);
                    checked++;
                }
            }
        }
        assertTrue(checked > 1000, "checked " + checked);
    }

    @Test
    void resample_brightVoxelAtKnownPatientPosition_landsAtTheExpectedIndexAndMapsBack() {
        // k runs to the feet here (slice direction -z): the mapping must still lead back to the same point.
        VolumeGeometry g = new VolumeGeometry(160, 160, 60, new Vec3(-56, -70, 300), new Vec3(1, 0, 0),
                new Vec3(0, 1, 0), new Vec3(0, 0, -1), new Vec3(0.7, 0.7, 1.0));
        Vec3 patient = g.toPatient(100, 80, 20); // (14, -14, 280) mm
        assertEquals(14, patient.x(), 1e-9);
        assertEquals(280, patient.z(), 1e-9);
        CtVolume v = volume(g, (i, j, k) ->
                Math.abs(i - 100) <= 1 && Math.abs(j - 80) <= 1 && Math.abs(k - 20) <= 1 ? (short) 400 : (short) -1000);
        ResampledVolume r = Resampler.resample(v, new VoxelBox(40, 140, 30, 130, 0, 60), spec(1.4, 2.0));

        int[] brightest = argMax(r);
        Vec3 source = r.mapping().toSource(brightest[0], brightest[1], brightest[2]);
        Vec3 back = g.toPatient(source.x(), source.y(), source.z());
        assertEquals(patient.x(), back.x(), 0.7, "x within half a resampled pixel");
        assertEquals(patient.y(), back.y(), 0.7, "y within half a resampled pixel");
        assertEquals(patient.z(), back.z(), 1.0, "z within half a resampled slice");
        Vec3 expectedIndex = r.mapping().toResampled(g.toVoxel(patient));
        assertEquals(expectedIndex.x(), brightest[0], 0.5);
        assertEquals(expectedIndex.y(), brightest[1], 0.5);
        assertEquals(expectedIndex.z(), brightest[2], 0.5);
    }

    @Test
    void resample_boxNearImageEdge_padsBeyondTheImageWithTheWindowLow() {
        // 50 columns of 1 mm at 1.25 mm are 40 pixels, rounded up to 48: the last 8 have no source.
        VolumeGeometry g = VolumeGeometry.axial(50, 50, 10, Vec3.ZERO, new Vec3(1, 1, 2));
        CtVolume v = volume(g, (i, j, k) -> (short) 0);
        ResampledVolume r = Resampler.resample(v, new VoxelBox(0, 50, 0, 50, 0, 10), spec(1.25, 2.0));

        assertEquals(48, r.columns());
        assertEquals(WINDOW.normalise(0), r.value(39, 39, 0), 1e-6, "inside the image: 0 HU");
        assertEquals(0f, r.value(40, 10, 0), "beyond the image: padding");
        assertEquals(0f, r.value(10, 47, 0), "beyond the image: padding");
    }

    @Test
    void resample_lungSlices_widenedByHalfASlabAndOneStrideOfContext() {
        VolumeGeometry g = VolumeGeometry.axial(40, 40, 100, Vec3.ZERO, new Vec3(1, 1, 1));
        CtVolume v = volume(g, (i, j, k) -> (short) k);
        // Source slices 40..59 at 2 mm resampled spacing are resampled slices 20..29.
        ResampledVolume r = Resampler.resample(v, new VoxelBox(0, 40, 0, 40, 40, 60), spec(1.0, 2.0));

        int context = 5 / 2 + 2;
        assertEquals(10 + 2 * context, r.slices());
        assertEquals(context, r.lungSliceStart());
        assertEquals(context + 10, r.lungSliceEnd());
        assertEquals(40.0, r.mapping().toSource(0, 0, r.lungSliceStart()).z(), 1e-9);
        assertEquals(WINDOW.normalise(40), r.value(5, 5, r.lungSliceStart()), 1e-6);
    }

    private static int[] argMax(ResampledVolume r) {
        int[] best = new int[3];
        float max = -1;
        for (int t = 0; t < r.slices(); t++) {
            for (int v = 0; v < r.rows(); v++) {
                for (int u = 0; u < r.columns(); u++) {
                    if (r.value(u, v, t) > max) {
                        max = r.value(u, v, t);
                        best = new int[] {u, v, t};
                    }
                }
            }
        }
        return best;
    }
}
