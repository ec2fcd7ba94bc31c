package org.noduled.preprocess.phantom;

import java.util.Arrays;
import java.util.List;

/**
 * Paints one axial slice: the ideal HU image (table, body layers, cavity contents, heart, hila, spine,
 * sternum, tubes, lung vessels, nodules), then the scanner's noise and blur, then rounding to HU. Every
 * structure is painted only inside its own bounding box, so the cost is one pass per layer plus the pixels
 * each small structure covers. A slice depends only on the plan and k: slices can be made in any order on
 * any number of threads.
 */
final class SliceRenderer {

    static final double TABLE_CURVE_PER_MM = 0.0007;
    static final double TABLE_THICKNESS_MM = 40;
    static final double TABLE_SHELL_MM = 3;
    static final double TABLE_HALF_WIDTH_MM = 230;
    static final float TABLE_SHELL_HU = 150;
    static final float TABLE_FOAM_HU = -850;
    static final float AIR_HU = -1000;
    static final float DISC_HU = 85;
    static final float CSF_HU = 25;
    static final float FLUID_HU = 15;
    static final float SPLEEN_HU = 48;
    static final int MIN_HU = -1024;
    static final int MAX_HU = 3071;

    /** Scratch buffers of one worker thread, reused slice after slice. */
    static final class Scratch {
        final float[] image;
        final float[] blur;
        final float[] fraction;
        final byte[] labels;

        Scratch(int plane) {
            image = new float[plane];
            blur = new float[plane];
            fraction = new float[plane];
            labels = new byte[plane];
        }
    }

    private final Phantom phantom;
    private final Anatomy a;
    private final int columns;
    private final int rows;
    private final double ox;
    private final double oy;
    private final double px;
    private final double py;
    private final double partialVolumeMm;
    private final LungTexture texture;

    SliceRenderer(Phantom phantom) {
        this.phantom = phantom;
        this.a = phantom.anatomy;
        this.columns = phantom.geometry.columns();
        this.rows = phantom.geometry.rows();
        this.ox = phantom.geometry.originMm().x();
        this.oy = phantom.geometry.originMm().y();
        this.px = phantom.geometry.spacingMm().x();
        this.py = phantom.geometry.spacingMm().y();
        this.partialVolumeMm = partialVolumeMm(phantom.spec);
        this.texture = new LungTexture(phantom.spec.seed());
    }

    /** Width of the soft edge of vessels and nodules: the slice spacing, kept within [pixel, 2 mm]. */
    static double partialVolumeMm(PhantomSpec spec) {
        return Math.max(spec.pixelSpacingMm(), Math.min(spec.sliceSpacingMm(), 2.0));
    }

    /** Renders slice k into {@code hu}; the labels are left in {@code s.labels}. */
    void render(int k, short[] hu, Scratch s) {
        double z = phantom.geometry.toPatient(0, 0, k).z();
        AnatomySection section = a.section(z);
        float[] t = s.image;
        byte[] labels = s.labels;
        Arrays.fill(t, AIR_HU);
        Arrays.fill(labels, Tissue.AIR);
        paintTable(t, labels);
        paintBody(section, t, labels, texture.plane(z, ox, oy, px, py, columns, rows));
        paintHeartAndHila(section, t, labels);
        paintSpineAndSternum(z, t, labels);
        paintTubes(z, a.structureTubes, t, labels);
        paintVessels(z, t, labels, s.fraction);
        paintNodules(z, t, labels);
        CorrelatedNoise.addWhite(t, phantom.spec.seed(), k, phantom.spec.noiseHu() / CorrelatedNoise.BLUR_NOISE_GAIN);
        CorrelatedNoise.blur(t, s.blur, columns, rows);
        for (int p = 0; p < t.length; p++) {
            int v = (int) Math.floor(t[p] + 0.5f);
            hu[p] = (short) (v < MIN_HU ? MIN_HU : (v > MAX_HU ? MAX_HU : v));
        }
    }

    private double x(int i) {
        return ox + i * px;
    }

    private double y(int j) {
        return oy + j * py;
    }

    private int firstColumn(double xMm) {
        return Math.max(0, (int) Math.ceil((xMm - ox) / px));
    }

    private int lastColumn(double xMm) {
        return Math.min(columns - 1, (int) Math.floor((xMm - ox) / px));
    }

    private int firstRow(double yMm) {
        return Math.max(0, (int) Math.ceil((yMm - oy) / py));
    }

    private int lastRow(double yMm) {
        return Math.min(rows - 1, (int) Math.floor((yMm - oy) / py));
    }

    private void set(float[] t, byte[] labels, int p, double hu, byte label) {
        t[p] = (float) hu;
        labels[p] = label;
    }

    /** Carbon-fibre table under the patient: 3 mm shells around foam, its top curving up at the sides. */
    private void paintTable(float[] t, byte[] labels) {
        double top = a.yc + a.bodyPosteriorMm + 1;
        double highest = top - TABLE_CURVE_PER_MM * TABLE_HALF_WIDTH_MM * TABLE_HALF_WIDTH_MM;
        for (int j = firstRow(highest); j <= lastRow(top + TABLE_THICKNESS_MM); j++) {
            double yy = y(j);
            for (int i = firstColumn(-TABLE_HALF_WIDTH_MM); i <= lastColumn(TABLE_HALF_WIDTH_MM); i++) {
                double xx = x(i);
                double depth = yy - (top - TABLE_CURVE_PER_MM * xx * xx);
                if (depth >= 0 && depth <= TABLE_THICKNESS_MM) {
                    boolean shell = depth < TABLE_SHELL_MM || depth > TABLE_THICKNESS_MM - TABLE_SHELL_MM;
                    set(t, labels, j * columns + i, shell ? TABLE_SHELL_HU : TABLE_FOAM_HU, Tissue.TABLE);
                }
            }
        }
    }

    /** Half-width (mm) at offset dy from the body centre of the body ellipse shrunk by inset; -1 if none. */
    private double bodyHalfWidth(double dy, double inset) {
        double b = (dy < 0 ? a.bodyAnteriorMm : a.bodyPosteriorMm) - inset;
        double w = a.bodyHalfWidthMm - inset;
        if (b <= 0 || Math.abs(dy) >= b) {
            return -1;
        }
        double v = dy / b;
        return w * Math.sqrt(1 - v * v);
    }

    private void fillSpan(float[] t, byte[] labels, int j, double from, double to, double hu, byte label) {
        int row = j * columns;
        float value = (float) hu;
        for (int i = firstColumn(from); i <= lastColumn(to); i++) {
            t[row + i] = value;
            labels[row + i] = label;
        }
    }

    /** Skin, fat (with paraspinal muscle behind the spine), muscle, then the pleural cavity's contents. */
    private void paintBody(AnatomySection section, float[] t, byte[] labels, LungTexture.Plane texturePlane) {
        double fatInset = Anatomy.SKIN_MM;
        double muscleInset = fatInset + a.fatMm;
        double paraspinalY = a.spineY + a.vertebraRadiusMm + 15;
        double paraspinalHalfWidth = a.vertebraRadiusMm + 28;
        for (int j = 0; j < rows; j++) {
            double yy = y(j);
            double dy = yy - a.yc;
            double skin = bodyHalfWidth(dy, 0);
            if (skin < 0) {
                continue;
            }
            fillSpan(t, labels, j, a.cx - skin, a.cx + skin, a.muscleHu, Tissue.SOFT_TISSUE);
            double fat = bodyHalfWidth(dy, fatInset);
            if (fat < 0) {
                continue;
            }
            fillSpan(t, labels, j, a.cx - fat, a.cx + fat, a.fatHu, Tissue.FAT);
            double pv = (yy - paraspinalY) / 32;
            if (pv * pv < 1) {
                double half = Math.min(fat, paraspinalHalfWidth * Math.sqrt(1 - pv * pv));
                fillSpan(t, labels, j, a.cx - half, a.cx + half, a.muscleHu, Tissue.SOFT_TISSUE);
            }
            double muscle = bodyHalfWidth(dy, muscleInset);
            if (muscle < 0) {
                continue;
            }
            fillSpan(t, labels, j, a.cx - muscle, a.cx + muscle, a.muscleHu, Tissue.SOFT_TISSUE);
            double cavityDepth = dy < 0 ? a.cavityAnteriorMm : a.cavityPosteriorMm;
            if (Math.abs(dy) < cavityDepth) {
                double v = dy / cavityDepth;
                double cavity = section.cavityHalfWidth() * Math.sqrt(1 - v * v);
                paintCavityRow(section, t, labels, j, yy, cavity, texturePlane);
            }
        }
    }

    private void paintCavityRow(AnatomySection section, float[] t, byte[] labels, int j, double yy,
            double halfWidth, LungTexture.Plane texturePlane) {
        int row = j * columns;
        double parenchyma = a.parenchymaHu(yy);
        for (int i = firstColumn(a.cx - halfWidth); i <= lastColumn(a.cx + halfWidth); i++) {
            double xx = x(i);
            int p = row + i;
            if (section.inLung(xx, yy)) {
                set(t, labels, p, parenchyma + texturePlane.value(i, j), Tissue.LUNG);
            } else if (section.belowDiaphragm(xx, yy)) {
                paintAbdomen(section.z, t, labels, p, xx, yy);
            } else if (section.inMediastinum(xx, yy)) {
                set(t, labels, p, a.fatHu, Tissue.FAT);
            } else {
                set(t, labels, p, a.muscleHu, Tissue.SOFT_TISSUE);
            }
        }
    }

    /** Under the diaphragm: liver on the right, stomach (gas over fluid, patient supine) and spleen on the left. */
    private void paintAbdomen(double z, float[] t, byte[] labels, int p, double xx, double yy) {
        if (xx < a.cx + 30) {
            set(t, labels, p, a.liverHu, Tissue.SOFT_TISSUE);
            return;
        }
        double organZ = a.lungBaseZ + a.domeLeftMm - 40;
        double sy = a.yc - a.cavityAnteriorMm * 0.2;
        double su = (xx - (a.cx + a.cavityHalfWidthMm * 0.45)) / 40;
        double sv = (yy - sy) / 35;
        double sw = (z - organZ) / 30;
        if (su * su + sv * sv + sw * sw < 1) {
            if (yy < sy - 10) {
                set(t, labels, p, AIR_HU, Tissue.GAS);
            } else {
                set(t, labels, p, FLUID_HU, Tissue.OTHER);
            }
            return;
        }
        double pu = (xx - (a.cx + a.cavityHalfWidthMm * 0.65)) / 28;
        double pv = (yy - (a.yc + a.cavityPosteriorMm * 0.45)) / 40;
        double pw = (z - (organZ - 5)) / 45;
        set(t, labels, p, pu * pu + pv * pv + pw * pw < 1 ? SPLEEN_HU : a.muscleHu, Tissue.SOFT_TISSUE);
    }

    /** Heart (blood/myocardium) in its pericardial fat, and the two hila (vessels and lymph tissue). */
    private void paintHeartAndHila(AnatomySection section, float[] t, byte[] labels) {
        double fatScale2 = section.heartScale2(Anatomy.HEART_FAT_MM);
        if (fatScale2 > 0) {
            double heartScale2 = section.heartScale2(0);
            double reach = a.heartLongMm + Anatomy.HEART_FAT_MM;
            for (int j = firstRow(a.heartY - reach); j <= lastRow(a.heartY + reach); j++) {
                double yy = y(j);
                for (int i = firstColumn(a.heartX - reach); i <= lastColumn(a.heartX + reach); i++) {
                    int p = j * columns + i;
                    double xx = x(i);
                    if (labels[p] == Tissue.LUNG || section.heartLevel(xx, yy, Anatomy.HEART_FAT_MM) >= fatScale2) {
                        continue;
                    }
                    if (section.heartLevel(xx, yy, 0) < heartScale2) {
                        set(t, labels, p, a.bloodHu, Tissue.SOFT_TISSUE);
                    } else {
                        set(t, labels, p, a.fatHu, Tissue.FAT);
                    }
                }
            }
        }
        for (int side = 0; side < 2; side++) {
            double scale2 = section.hilumScale2(side);
            if (scale2 <= 0) {
                continue;
            }
            double[] semi = Anatomy.HILUM_SEMI_AXES_MM;
            for (int j = firstRow(a.hilumY[side] - semi[1]); j <= lastRow(a.hilumY[side] + semi[1]); j++) {
                double yy = y(j);
                for (int i = firstColumn(a.hilumX[side] - semi[0]); i <= lastColumn(a.hilumX[side] + semi[0]); i++) {
                    int p = j * columns + i;
                    if (labels[p] != Tissue.LUNG && section.hilumLevel(side, x(i), yy) < scale2) {
                        set(t, labels, p, a.bloodHu, Tissue.SOFT_TISSUE);
                    }
                }
            }
        }
    }

    /**
     * Vertebra: body (cortical shell over marrow, or a disc for {@link Anatomy#DISC_MM} of every pitch),
     * canal with its bony ring, spinous and transverse processes. Sternum in front, over its z range.
     */
    private void paintSpineAndSternum(double z, float[] t, byte[] labels) {
        double rv = a.vertebraRadiusMm;
        double canalY = a.spineY + rv + 8;
        double spinousY = canalY + 11 + 9;
        double level = z - a.vertebraPhaseMm;
        boolean disc = level - a.vertebraPitchMm * Math.floor(level / a.vertebraPitchMm) < Anatomy.DISC_MM;
        for (int j = firstRow(a.spineY - rv); j <= lastRow(spinousY + 10); j++) {
            double yy = y(j);
            for (int i = firstColumn(a.cx - 34); i <= lastColumn(a.cx + 34); i++) {
                int p = j * columns + i;
                if (labels[p] == Tissue.LUNG) {
                    continue;
                }
                double dx = x(i) - a.cx;
                double db = Math.sqrt(dx * dx + (yy - a.spineY) * (yy - a.spineY));
                double dc = Math.sqrt(dx * dx + (yy - canalY) * (yy - canalY));
                double su = dx / 3.5;
                double sv = (yy - spinousY) / 10;
                double tu = (Math.abs(dx) - 22) / 11;
                double tv = (yy - (canalY - 2)) / 4.5;
                if (db < rv) {
                    if (disc) {
                        set(t, labels, p, DISC_HU, Tissue.OTHER);
                    } else {
                        set(t, labels, p, db > rv - Anatomy.CORTEX_MM ? a.cortexHu : a.marrowHu, Tissue.BONE);
                    }
                } else if (dc < 7) {
                    set(t, labels, p, CSF_HU, Tissue.OTHER);
                } else if (dc < 11 || su * su + sv * sv < 1 || tu * tu + tv * tv < 1) {
                    set(t, labels, p, a.cortexHu, Tissue.BONE);
                }
            }
        }
        double sternumTop = a.rib1Z - 15;
        double sternumBottom = a.heartZ - a.heartHalfHeightMm * 0.6;
        if (z < sternumBottom || z > sternumTop) {
            return;
        }
        double sy = a.yc - a.cavityAnteriorMm - 5;
        for (int j = firstRow(sy - 6); j <= lastRow(sy + 6); j++) {
            double yy = y(j);
            for (int i = firstColumn(a.cx - 14); i <= lastColumn(a.cx + 14); i++) {
                double u = (x(i) - a.cx) / 14;
                double v = (yy - sy) / 6;
                double rho = Math.sqrt(u * u + v * v);
                int p = j * columns + i;
                if (rho < 1 && labels[p] != Tissue.LUNG) {
                    set(t, labels, p, (1 - rho) * 6 < Anatomy.CORTEX_MM ? a.cortexHu : a.marrowHu, Tissue.BONE);
                }
            }
        }
    }

    /** Ribs, cartilage, aorta, oesophagus and airways, never over lung. */
    private void paintTubes(double z, List<Tube> tubes, float[] t, byte[] labels) {
        for (Tube tube : tubes) {
            if (z < tube.zMin() || z > tube.zMax()) {
                continue;
            }
            double reach = tube.maxRadius();
            double[] range = tube.rangeNearPlane(z, reach);
            if (range == null) {
                continue;
            }
            double[] box = tube.planeBox(z, 0);
            for (int j = firstRow(box[2]); j <= lastRow(box[3]); j++) {
                double yy = y(j);
                double[] span = tube.rowInterval(yy, range, reach);
                if (span == null) {
                    continue;
                }
                for (int i = firstColumn(span[0]); i <= lastColumn(span[1]); i++) {
                    int p = j * columns + i;
                    if (labels[p] == Tissue.LUNG) {
                        continue;
                    }
                    double xx = x(i);
                    double along = tube.along(xx, yy, z);
                    double d = tube.distanceAt(along, xx, yy, z);
                    double r = tube.radiusAt(along);
                    if (d < r) {
                        paintTubeVoxel(tube.kind, d, r, t, labels, p);
                    }
                }
            }
        }
    }

    private void paintTubeVoxel(TubeKind kind, double d, double r, float[] t, byte[] labels, int p) {
        switch (kind) {
            case RIB -> set(t, labels, p, d > r - Anatomy.CORTEX_MM ? a.cortexHu : a.marrowHu, Tissue.BONE);
            case CARTILAGE -> set(t, labels, p, a.cartilageHu, Tissue.OTHER);
            case AORTA -> set(t, labels, p, a.bloodHu, Tissue.SOFT_TISSUE);
            case ESOPHAGUS -> set(t, labels, p, a.muscleHu, Tissue.SOFT_TISSUE);
            case AIRWAY -> {
                if (d > r - Anatomy.AIRWAY_WALL_MM) {
                    set(t, labels, p, a.muscleHu, Tissue.SOFT_TISSUE);
                } else {
                    set(t, labels, p, AIR_HU, Tissue.GAS);
                }
            }
            default -> throw new IllegalStateException("not a structure tube: " + kind);
        }
    }

    /**
     * Lung vessels: each voxel takes the largest partial-volume fraction f of any vessel through it, then
     * HU = lung + f (blood - lung); voxels with f >= 0.5 are labelled vessel.
     */
    private void paintVessels(double z, float[] t, byte[] labels, float[] fraction) {
        double pv = partialVolumeMm;
        for (Tube tube : phantom.vessels) {
            if (z < tube.zMin() - pv || z > tube.zMax() + pv) {
                continue;
            }
            double reach = tube.maxRadius() + pv / 2;
            double[] range = tube.rangeNearPlane(z, reach);
            if (range == null) {
                continue;
            }
            double[] box = tube.planeBox(z, pv / 2);
            for (int j = firstRow(box[2]); j <= lastRow(box[3]); j++) {
                double yy = y(j);
                double[] span = tube.rowInterval(yy, range, reach);
                if (span == null) {
                    continue;
                }
                int row = j * columns;
                for (int i = firstColumn(span[0]); i <= lastColumn(span[1]); i++) {
                    int p = row + i;
                    if (labels[p] != Tissue.LUNG) {
                        continue;
                    }
                    double xx = x(i);
                    double along = tube.along(xx, yy, z);
                    double d2 = tube.distanceSquaredAt(along, xx, yy, z);
                    if (d2 >= reach * reach) {
                        continue;
                    }
                    float f = (float) NoduleBody.ramp(tube.radiusAt(along) - Math.sqrt(d2), pv);
                    if (f > fraction[p]) {
                        fraction[p] = f;
                    }
                }
            }
        }
        float blood = (float) a.bloodHu;
        for (int p = 0; p < fraction.length; p++) {
            float f = fraction[p];
            if (f > 0) {
                t[p] += f * (blood - t[p]);
                if (f >= 0.5f) {
                    labels[p] = Tissue.VESSEL;
                }
                fraction[p] = 0;
            }
        }
    }

    /**
     * Nodules over lung and vessel voxels. Solid: HU = v + f (hu - v). Ground glass: HU = v + f max(0, hu - v),
     * so vessels inside show through, with a ramp 1 mm wider. Part-solid: ground glass, then the core as solid.
     */
    private void paintNodules(double z, float[] t, byte[] labels) {
        double pv = partialVolumeMm;
        List<NoduleBody> nodules = phantom.nodules;
        for (int n = 0; n < nodules.size(); n++) {
            NoduleBody body = nodules.get(n);
            double reach = body.reachMm() + pv;
            if (Math.abs(z - body.z) > reach) {
                continue;
            }
            NoduleType type = body.truth.type();
            double w = type.hasGroundGlass() ? pv + 1 : pv;
            double hu = body.truth.hu();
            for (int j = firstRow(body.y - reach); j <= lastRow(body.y + reach); j++) {
                double yy = y(j);
                for (int i = firstColumn(body.x - reach); i <= lastColumn(body.x + reach); i++) {
                    int p = j * columns + i;
                    if (!Tissue.isLungField(labels[p])) {
                        continue;
                    }
                    double xx = x(i);
                    double f = body.fraction(xx, yy, z, w);
                    if (f <= 0) {
                        continue;
                    }
                    double v = t[p];
                    v += type.hasGroundGlass() ? f * Math.max(0, hu - v) : f * (hu - v);
                    if (type == NoduleType.PART_SOLID) {
                        v += body.coreFraction(xx, yy, z, pv) * (body.truth.coreHu() - v);
                    }
                    t[p] = (float) v;
                    if (f >= 0.5) {
                        labels[p] = (byte) (Tissue.NODULE_BASE + n);
                    }
                }
            }
        }
    }
}
