package org.noduled.preprocess.phantom;

import java.util.ArrayList;
import java.util.List;

/**
 * The anatomy cut by the axial plane at height z: whatever depends on z alone (apex narrowing, heart and
 * hilum ellipses, the tubes crossing the plane) is worked out once, so the per-pixel lung test is a
 * handful of multiplications.
 */
final class AnatomySection {

    /**
     * Above {@code lungApexZ - apexHeight} each lung is cut to an ellipse centred at (cx +- 0.57 cavity
     * half-width, mediastinum centre + 0.3 t posterior depth) with half-axes (0.55 cavity half-width, 1.1
     * cavity half-depth) times sqrt(1 - t^2), t = 0..1 up the apex: a dome leaning back, as real apices do.
     */
    final Anatomy a;
    final double z;
    private final boolean lungLevel;
    private final double lungHalfWidth;
    private final double lungAnterior;
    private final double lungPosterior;
    private final double apexScale;
    private final double apexHalfWidth;
    private final double apexHalfDepth;
    private final double apexY;
    private final double apexOffsetX;
    /** In-plane squared scale of the heart ellipsoid grown by fat and pleura; <= 0 when the plane misses it. */
    private final double heartClearScale2;
    private final double[] hilumScale2 = new double[2];
    private final double spineClear2;
    private final List<Tube> exclusions = new ArrayList<>();
    private final List<double[]> exclusionBoxes = new ArrayList<>();

    AnatomySection(Anatomy a, double z) {
        this.a = a;
        this.z = z;
        this.lungLevel = z > a.lungBaseZ && z < a.lungApexZ;
        this.lungHalfWidth = a.cavityHalfWidthAt(z) - Anatomy.PLEURA_MM;
        this.lungAnterior = a.cavityAnteriorMm - Anatomy.PLEURA_MM;
        this.lungPosterior = a.cavityPosteriorMm - Anatomy.PLEURA_MM;
        double apexStart = a.lungApexZ - a.apexHeightMm;
        double up = z > apexStart ? (z - apexStart) / a.apexHeightMm : 0;
        apexScale = z > apexStart ? Math.sqrt(Math.max(0, 1 - up * up)) : Double.POSITIVE_INFINITY;
        apexHalfWidth = a.cavityHalfWidthAt(z) * 0.55;
        apexHalfDepth = (a.cavityAnteriorMm + a.cavityPosteriorMm) / 2 * 1.1;
        apexY = a.mediastinumCenterY + 0.3 * up * a.cavityPosteriorMm;
        apexOffsetX = a.cavityHalfWidthAt(z) * 0.57;
        double heartClear = Anatomy.HEART_FAT_MM + Anatomy.PLEURA_MM;
        double hz = (z - a.heartZ) / (a.heartHalfHeightMm + heartClear);
        heartClearScale2 = 1 - hz * hz;
        for (int side = 0; side < 2; side++) {
            double h = (z - a.hilumZ[side]) / Anatomy.HILUM_SEMI_AXES_MM[2];
            hilumScale2[side] = 1 - h * h;
        }
        double spineClear = a.vertebraRadiusMm + 8;
        spineClear2 = spineClear * spineClear;
        for (Tube t : a.lungExclusions) {
            double[] box = t.planeBox(z, 0);
            if (box != null) {
                exclusions.add(t);
                exclusionBoxes.add(box);
            }
        }
    }

    /** Half-width of the pleural cavity in this plane. */
    double cavityHalfWidth() {
        return lungHalfWidth + Anatomy.PLEURA_MM;
    }

    boolean inLung(double x, double y) {
        if (!lungLevel) {
            return false;
        }
        double dx = x - a.cx;
        double dy = y - a.yc;
        double u = dx / lungHalfWidth;
        double v = dy / (dy < 0 ? lungAnterior : lungPosterior);
        if (u * u + v * v >= 1) {
            return false;
        }
        int side = dx < 0 ? 0 : 1;
        if (z <= a.diaphragmZ(side, x, y)) {
            return false;
        }
        if (apexScale != Double.POSITIVE_INFINITY) {
            double au = (x - (a.cx + Anatomy.sideSign(side) * apexOffsetX)) / (apexHalfWidth * apexScale);
            double av = (y - apexY) / (apexHalfDepth * apexScale);
            if (au * au + av * av >= 1) {
                return false;
            }
        }
        double mu = dx / a.mediastinumHalfWidthMm;
        double mv = (y - a.mediastinumCenterY) / a.mediastinumHalfDepthMm;
        if (mu * mu + mv * mv < 1) {
            return false;
        }
        if (heartClearScale2 > 0 && heartLevel(x, y, Anatomy.HEART_FAT_MM + Anatomy.PLEURA_MM) < heartClearScale2) {
            return false;
        }
        double sy = y - a.spineY;
        if (dx * dx + sy * sy < spineClear2) {
            return false;
        }
        if (hilumScale2[side] > 0 && hilumLevel(side, x, y) < hilumScale2[side]) {
            return false;
        }
        for (int n = 0; n < exclusions.size(); n++) {
            double[] box = exclusionBoxes.get(n);
            if (x >= box[0] && x <= box[1] && y >= box[2] && y <= box[3]
                    && exclusions.get(n).surfaceDistance(x, y, z) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether (x, y) is under the diaphragm dome of its side (abdomen, not thorax). */
    boolean belowDiaphragm(double x, double y) {
        return z <= a.diaphragmZ(a.sideOf(x), x, y);
    }

    /** Whether (x, y) lies inside the mediastinum ellipse. */
    boolean inMediastinum(double x, double y) {
        double mu = (x - a.cx) / a.mediastinumHalfWidthMm;
        double mv = (y - a.mediastinumCenterY) / a.mediastinumHalfDepthMm;
        return mu * mu + mv * mv < 1;
    }

    /**
     * In-plane squared normalised radius of (x, y) in the heart ellipse grown by {@code growMm}; a point is
     * inside that grown heart when this is below {@code 1 - ((z - heartZ) / (halfHeight + growMm))^2}.
     */
    double heartLevel(double x, double y, double growMm) {
        double dx = x - a.heartX;
        double dy = y - a.heartY;
        double u = (dx * a.heartCos - dy * a.heartSin) / (a.heartLongMm + growMm);
        double v = (dx * a.heartSin + dy * a.heartCos) / (a.heartShortMm + growMm);
        return u * u + v * v;
    }

    /** The right side of {@link #heartLevel}'s test for the heart grown by {@code growMm} at this z. */
    double heartScale2(double growMm) {
        double h = (z - a.heartZ) / (a.heartHalfHeightMm + growMm);
        return 1 - h * h;
    }

    double hilumLevel(int side, double x, double y) {
        double u = (x - a.hilumX[side]) / Anatomy.HILUM_SEMI_AXES_MM[0];
        double v = (y - a.hilumY[side]) / Anatomy.HILUM_SEMI_AXES_MM[1];
        return u * u + v * v;
    }

    double hilumScale2(int side) {
        return hilumScale2[side];
    }
}
