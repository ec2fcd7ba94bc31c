package org.noduled.preprocess;

import java.util.ArrayList;
import java.util.List;

/**
 * A small test chest built from shapes, in mm about the image centre (x to the patient's left, y to the
 * back): air -1000 HU, a body ellipse of 40 HU, two lung ellipses of -850 HU over a range of slices, and
 * a table of +100 HU 20 mm behind the body, hollow (air inside) when asked.
 */
final class SyntheticChest {

    static final short AIR = -1000;
    static final short BODY = 40;
    static final short LUNG = -850;
    static final short TABLE = 100;
    /** Body ellipse: centre y, half-axes. */
    static final double BODY_CY = -10;
    static final double BODY_AX = 150;
    static final double BODY_AY = 100;
    /** Lung ellipses: centres (+-LUNG_CX, LUNG_CY), half-axes. */
    static final double LUNG_CX = 65;
    static final double LUNG_CY = -15;
    static final double LUNG_AX = 45;
    static final double LUNG_AY = 65;
    /** Table: y from TABLE_TOP to TABLE_TOP + TABLE_THICKNESS, all across. */
    static final double TABLE_TOP = 110;
    static final double TABLE_THICKNESS = 15;

    private int columns = 128;
    private int rows = 128;
    private int slices = 30;
    private Vec3 spacingMm = new Vec3(3, 3, 4);
    private Vec3 originMm = new Vec3(-190, -190, 100);
    private Vec3 sliceDirection = new Vec3(0, 0, 1);
    private int lungFirstSlice = 6;
    private int lungEndSlice = 24;
    private boolean lungs = true;
    private boolean hollowTable;

    SyntheticChest size(int columns, int rows, int slices) {
        this.columns = columns;
        this.rows = rows;
        this.slices = slices;
        return this;
    }

    SyntheticChest spacing(Vec3 spacingMm) {
        this.spacingMm = spacingMm;
        return this;
    }

    SyntheticChest lungSlices(int first, int end) {
        this.lungFirstSlice = first;
        this.lungEndSlice = end;
        return this;
    }

    SyntheticChest withoutLungs() {
        this.lungs = false;
        return this;
    }

    SyntheticChest hollowTable() {
        this.hollowTable = true;
        return this;
    }

    VolumeGeometry geometry() {
        return new VolumeGeometry(columns, rows, slices, originMm, new Vec3(1, 0, 0), new Vec3(0, 1, 0),
                sliceDirection, spacingMm);
    }

    /** x in mm about the image centre of column i. */
    double xMm(double i) {
        return (i - (columns - 1) / 2.0) * spacingMm.x();
    }

    double yMm(double j) {
        return (j - (rows - 1) / 2.0) * spacingMm.y();
    }

    /** Row j at y mm (fractional). */
    double row(double yMm) {
        return yMm / spacingMm.y() + (rows - 1) / 2.0;
    }

    double column(double xMm) {
        return xMm / spacingMm.x() + (columns - 1) / 2.0;
    }

    CtVolume build() {
        short[][] hu = new short[slices][columns * rows];
        List<String> uids = new ArrayList<>();
        for (int k = 0; k < slices; k++) {
            boolean lungSlice = lungs && k >= lungFirstSlice && k < lungEndSlice;
            for (int j = 0; j < rows; j++) {
                for (int i = 0; i < columns; i++) {
                    hu[k][j * columns + i] = valueAt(xMm(i), yMm(j), lungSlice);
                }
            }
            uids.add("1.2.3.4.5.6." + (1000 + k));
        }
        return new CtVolume("1.2.826.0.1.3680043.8.498.77777", "1.2.3.4.5.9", geometry(), hu, uids);
    }

    private short valueAt(double x, double y, boolean lungSlice) {
        if (inEllipse(x, y, 0, BODY_CY, BODY_AX, BODY_AY)) {
            if (lungSlice && (inEllipse(x, y, -LUNG_CX, LUNG_CY, LUNG_AX, LUNG_AY)
                    || inEllipse(x, y, LUNG_CX, LUNG_CY, LUNG_AX, LUNG_AY))) {
                return LUNG;
            }
            return BODY;
        }
        if (y >= TABLE_TOP && y < TABLE_TOP + TABLE_THICKNESS) {
            boolean inside = y >= TABLE_TOP + 4 && y < TABLE_TOP + TABLE_THICKNESS - 4 && Math.abs(x) < 150;
            return hollowTable && inside ? AIR : TABLE;
        }
        return AIR;
    }

    private static boolean inEllipse(double x, double y, double cx, double cy, double ax, double ay) {
        double dx = (x - cx) / ax;
        double dy = (y - cy) / ay;
        return dx * dx + dy * dy <= 1;
    }
}
