package org.noduled.preprocess.phantom;

/**
 * A nodule's shape: a sphere of the nominal radius R with three lobes, r(u) = R (1 - 0.1 sum(a) + sum(a_l
 * max(0, u.v_l)^4)) for unit direction u from the centre (the 0.1 keeps the mean radius at R), plus the
 * solid core of a part-solid nodule (a sphere off the centre). Voxel fractions use a linear ramp of width
 * w across the surface, so edges are soft rather than binary.
 */
final class NoduleBody {

    static final int LOBES = 3;

    final PlantedNodule truth;
    final double x;
    final double y;
    final double z;
    final double radius;
    private final double[][] lobeDirections;
    private final double[] lobeAmplitudes;
    private final double lobeMean;
    private final double coreX;
    private final double coreY;
    private final double coreZ;
    private final double coreRadius;

    NoduleBody(PlantedNodule truth, double[][] lobeDirections, double[] lobeAmplitudes, double[] coreCenter) {
        this.truth = truth;
        this.x = truth.centerMm().x();
        this.y = truth.centerMm().y();
        this.z = truth.centerMm().z();
        this.radius = truth.radiusMm();
        this.lobeDirections = lobeDirections;
        this.lobeAmplitudes = lobeAmplitudes;
        double sum = 0;
        for (double amplitude : lobeAmplitudes) {
            sum += amplitude;
        }
        this.lobeMean = 0.1 * sum;
        this.coreX = coreCenter[0];
        this.coreY = coreCenter[1];
        this.coreZ = coreCenter[2];
        this.coreRadius = truth.coreDiameterMm() / 2;
    }

    /** Largest distance from the centre any part of the nodule reaches (mm). */
    double reachMm() {
        double sum = 0;
        for (double amplitude : lobeAmplitudes) {
            sum += amplitude;
        }
        return radius * (1 - lobeMean + sum);
    }

    /** Fraction (0..1) of a voxel at (px, py, pz) inside the lobulated outline, ramp width w (mm). */
    double fraction(double px, double py, double pz, double w) {
        double ex = px - x;
        double ey = py - y;
        double ez = pz - z;
        double d = Math.sqrt(ex * ex + ey * ey + ez * ez);
        double r = radius * (1 - lobeMean);
        if (d > 0) {
            for (int l = 0; l < LOBES; l++) {
                double[] v = lobeDirections[l];
                double c = (ex * v[0] + ey * v[1] + ez * v[2]) / d;
                if (c > 0) {
                    double c2 = c * c;
                    r += radius * lobeAmplitudes[l] * c2 * c2;
                }
            }
        }
        return ramp(r - d, w);
    }

    /** Fraction of the voxel inside the solid core (part-solid only; 0 otherwise). */
    double coreFraction(double px, double py, double pz, double w) {
        if (coreRadius <= 0) {
            return 0;
        }
        double ex = px - coreX;
        double ey = py - coreY;
        double ez = pz - coreZ;
        return ramp(coreRadius - Math.sqrt(ex * ex + ey * ey + ez * ez), w);
    }

    /** Linear partial-volume ramp: 1 deep inside, 0 outside, 0.5 on the surface. */
    static double ramp(double insideMm, double w) {
        double f = insideMm / w + 0.5;
        return f <= 0 ? 0 : (f >= 1 ? 1 : f);
    }
}
