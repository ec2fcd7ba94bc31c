package org.noduled.detect;

import java.util.ArrayList;
import java.util.List;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.VolumeGeometry;

/**
 * A test chest from shapes (x, y in mm about the image centre): air -1000 HU, body ellipse 40 HU, two
 * lung ellipses -850 HU on a range of slices, a table of +100 HU behind the body, and spherical nodules
 * of 40 HU placed in patient coordinates. (preprocess has its own copy without nodules.)
 */
final class SyntheticChest {

    private final int columns;
    private final int rows;
    private final int slices;
    private final Vec3 spacingMm;
    private int lungFirstSlice;
    private int lungEndSlice;
    private final List<double[]> nodules = new ArrayList<>();

    SyntheticChest(int columns, int rows, int slices, Vec3 spacingMm) {
        this.columns = columns;
        this.rows = rows;
        this.slices = slices;
        this.spacingMm = spacingMm;
        this.lungFirstSlice = slices / 8;
        this.lungEndSlice = slices - slices / 8;
    }

    VolumeGeometry geometry() {
        Vec3 origin = new Vec3(-(columns - 1) / 2.0 * spacingMm.x(), -(rows - 1) / 2.0 * spacingMm.y(), -200);
        return VolumeGeometry.axial(columns, rows, slices, origin, spacingMm);
    }

    /** A sphere of 40 HU centred at a patient position (LPS mm). */
    SyntheticChest nodule(Vec3 centerMm, double diameterMm) {
        nodules.add(new double[] {centerMm.x(), centerMm.y(), centerMm.z(), diameterMm / 2});
        return this;
    }

    CtVolume build() {
        VolumeGeometry g = geometry();
        short[][] hu = new short[slices][columns * rows];
        List<String> uids = new ArrayList<>();
        for (int k = 0; k < slices; k++) {
            boolean lungSlice = k >= lungFirstSlice && k < lungEndSlice;
            for (int j = 0; j < rows; j++) {
                for (int i = 0; i < columns; i++) {
                    hu[k][j * columns + i] = valueAt(g.toPatient(i, j, k), lungSlice);
                }
            }
            uids.add("1.2.826.0.1.3680043.8.498.5." + (100 + k));
        }
        return new CtVolume("1.2.826.0.1.3680043.8.498.1.424242", "1.2.826.0.1.3680043.8.498.2", g, hu, uids);
    }

    private short valueAt(Vec3 p, boolean lungSlice) {
        for (double[] n : nodules) {
            double dx = p.x() - n[0];
            double dy = p.y() - n[1];
            double dz = p.z() - n[2];
            if (dx * dx + dy * dy + dz * dz <= n[3] * n[3]) {
                return 40;
            }
        }
        double x = p.x();
        double y = p.y();
        if (inEllipse(x, y, 0, -10, 150, 100)) {
            if (lungSlice && (inEllipse(x, y, -65, -15, 45, 65) || inEllipse(x, y, 65, -15, 45, 65))) {
                return -850;
            }
            return 40;
        }
        if (y >= 110 && y < 125) {
            return 100;
        }
        return -1000;
    }

    private static boolean inEllipse(double x, double y, double cx, double cy, double ax, double ay) {
        double dx = (x - cx) / ax;
        double dy = (y - cy) / ay;
        return dx * dx + dy * dy <= 1;
    }
}
