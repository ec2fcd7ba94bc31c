package org.noduled.preprocess;

import java.util.ArrayList;
import java.util.List;

/**
 * A test chest built from shapes, for tests that need a scene known to the millimetre; the others use
 * phantoms ({@code org.noduled.preprocess.phantom.Phantom}), which are real anatomy but drawn at random.
 * Shared with detect's tests through this module's test jar.
 *
 * <p>Axial, LPS, centred on the patient origin (x to the patient's left, y to the back, mm): air -1000 HU,
 * a body ellipse of 40 HU, two lung ellipses of -850 HU over a range of slices, a table of +100 HU 20 mm
 * behind the body (hollow, air inside, when asked) and, anywhere, spheres of 40 HU.
 */
public final class SyntheticChest {

    static final short AIR = -1000;
    static final short BODY = 40;
    static final short LUNG = -850;
    static final short TABLE = 100;
    static final short NODULE = 40;
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
    private int lungFirstSlice = 6;
    private int lungEndSlice = 24;
    private boolean lungs = true;
    private boolean hollowTable;
    /** Sphere centres (x, y, z mm) and radii. */
    private final List<double[]> nodules = new ArrayList<>();

    /** 128 x 128 x 30 at 3 x 3 x 4 mm, lungs on slices 6 to 23, solid table, no nodules. */
    public SyntheticChest() {
    }

    public SyntheticChest size(int newColumns, int newRows, int newSlices) {
        this.columns = newColumns;
        this.rows = newRows;
        this.slices = newSlices;
        return this;
    }

    public SyntheticChest spacing(Vec3 newSpacingMm) {
        this.spacingMm = newSpacingMm;
        return this;
    }

    /** Lungs on slices {@code first} to {@code end - 1}. */
    public SyntheticChest lungSlices(int first, int end) {
        this.lungFirstSlice = first;
        this.lungEndSlice = end;
        return this;
    }

    public SyntheticChest withoutLungs() {
        this.lungs = false;
        return this;
    }

    public SyntheticChest hollowTable() {
        this.hollowTable = true;
        return this;
    }

    /** A sphere of 40 HU centred at a patient position (LPS mm). */
    public SyntheticChest nodule(Vec3 centerMm, double diameterMm) {
        nodules.add(new double[] {centerMm.x(), centerMm.y(), centerMm.z(), diameterMm / 2});
        return this;
    }

    private VolumeGeometry geometry() {
        Vec3 origin = new Vec3(-(columns - 1) / 2.0 * spacingMm.x(), -(rows - 1) / 2.0 * spacingMm.y(),
                -(slices - 1) / 2.0 * spacingMm.z());
        return VolumeGeometry.axial(columns, rows, slices, origin, spacingMm);
    }

    /** Row j (fractional) at y mm. */
    double row(double yMm) {
        return yMm / spacingMm.y() + (rows - 1) / 2.0;
    }

    /** Column i (fractional) at x mm. */
    double column(double xMm) {
        return xMm / spacingMm.x() + (columns - 1) / 2.0;
    }

    public CtVolume build() {
        VolumeGeometry g = geometry();
        short[][] hu = new short[slices][columns * rows];
        List<String> uids = new ArrayList<>();
        for (int k = 0; k < slices; k++) {
            boolean lungSlice = lungs && k >= lungFirstSlice && k < lungEndSlice;
            for (int j = 0; j < rows; j++) {
                for (int i = 0; i < columns; i++) {
                    hu[k][j * columns + i] = valueAt(g.toPatient(i, j, k), lungSlice);
                }
            }
            uids.add("1.2.3.4.5.6." + (1000 + k));
        }
        return new CtVolume("1.2.826.0.1.3680043.8.498.77777", "1.2.3.4.5.9", g, hu, uids);
    }

    private short valueAt(Vec3 p, boolean lungSlice) {
        for (double[] n : nodules) {
            double dx = p.x() - n[0];
            double dy = p.y() - n[1];
            double dz = p.z() - n[2];
            if (dx * dx + dy * dy + dz * dz <= n[3] * n[3]) {
                return NODULE;
            }
        }
        double x = p.x();
        double y = p.y();
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
