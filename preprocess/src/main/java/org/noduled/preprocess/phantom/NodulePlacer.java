package org.noduled.preprocess.phantom;

import java.util.ArrayList;
import java.util.List;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.VolumeGeometry;

/**
 * Draws and places the nodules. The count comes from stream (seed, {@link #STREAM}, 0) (one
 * {@code uniformInt}, only when min and max differ). Nodule n (1-based) draws its attributes from stream
 * (seed, {@link #STREAM}, n), in order: type, diameter, attachment, HU (and core size, HU and offset for
 * part-solid), three lobes; and its placement from stream (seed, {@link #PLACEMENT_STREAM}, n), as many
 * tries as it takes: {@link #TRIES} for the drawn attachment, then {@link #TRIES} as isolated,
 * then {@link #TRIES} as isolated without the vessel and pleura clearances. Every nodule lies wholly inside
 * the scanned volume (nominal radius * 1.3 + 1 mm from its faces), its centre inside a lung, at least 5 mm
 * between any two nodules' nominal surfaces.
 */
final class NodulePlacer {

    static final long STREAM = 3;
    static final long PLACEMENT_STREAM = 6;
    static final int TRIES = 400;
    /** A juxtavascular nodule touches a vessel of radius 0.8..3.5 mm. */
    static final double MIN_ATTACHED_VESSEL_MM = 0.8;
    static final double MAX_ATTACHED_VESSEL_MM = 3.5;
    /** An isolated nodule keeps 1 mm off every vessel of at least this radius (thinner ones are everywhere). */
    static final double MAJOR_VESSEL_MM = 1.5;

    private final Anatomy anatomy;
    private final List<Tube> attachable = new ArrayList<>();
    private final List<Tube> major = new ArrayList<>();
    private final long seed;
    private SplitMix64 rng;
    private final double[] lo;
    private final double[] hi;
    private final List<NoduleBody> placed = new ArrayList<>();

    private NodulePlacer(Anatomy anatomy, List<Tube> allVessels, VolumeGeometry geometry, long seed) {
        this.anatomy = anatomy;
        for (Tube t : allVessels) {
            if (t.r0 >= MIN_ATTACHED_VESSEL_MM && t.r0 <= MAX_ATTACHED_VESSEL_MM) {
                attachable.add(t);
            }
            if (t.r0 >= MAJOR_VESSEL_MM) {
                major.add(t);
            }
        }
        this.seed = seed;
        Vec3 first = geometry.toPatient(0, 0, 0);
        Vec3 last = geometry.toPatient(geometry.columns() - 1, geometry.rows() - 1, geometry.slices() - 1);
        this.lo = new double[] {Math.min(first.x(), last.x()), Math.min(first.y(), last.y()), Math.min(first.z(), last.z())};
        this.hi = new double[] {Math.max(first.x(), last.x()), Math.max(first.y(), last.y()), Math.max(first.z(), last.z())};
    }

    static List<NoduleBody> place(Anatomy anatomy, List<Tube> vessels, VolumeGeometry geometry, PhantomSpec spec) {
        NodulePlacer placer = new NodulePlacer(anatomy, vessels, geometry, spec.seed());
        int count = spec.minNodules() == spec.maxNodules() ? spec.minNodules()
                : SplitMix64.stream(spec.seed(), STREAM, 0).uniformInt(spec.minNodules(), spec.maxNodules());
        for (int n = 1; n <= count; n++) {
            placer.placeOne(n);
        }
        return List.copyOf(placer.placed);
    }

    private void placeOne(int id) {
        rng = SplitMix64.stream(seed, STREAM, id);
        double u = rng.nextDouble();
        NoduleType type = u < 0.6 ? NoduleType.SOLID : (u < 0.8 ? NoduleType.PART_SOLID : NoduleType.GROUND_GLASS);
        double v = rng.nextDouble();
        // Weighted towards small: 3 * 10^(v^2) puts 55% below 6 mm; part-solid nodules start at 6 mm.
        double diameter = type == NoduleType.PART_SOLID ? 6 * StrictMath.pow(5, v * v) : 3 * StrictMath.pow(10, v * v);
        double w = rng.nextDouble();
        NoduleAttachment attachment = w < 0.4 ? NoduleAttachment.ISOLATED
                : (w < 0.7 ? NoduleAttachment.JUXTAPLEURAL : NoduleAttachment.JUXTAVASCULAR);
        double hu;
        double coreDiameter = 0;
        double coreHu = 0;
        double[] coreOffset = {0, 0, 0};
        if (type == NoduleType.SOLID) {
            hu = rng.uniform(-100, 100);
        } else {
            hu = rng.uniform(-700, -500);
            if (type == NoduleType.PART_SOLID) {
                coreDiameter = diameter * rng.uniform(0.3, 0.6);
                coreHu = rng.uniform(-100, 100);
                double[] dir = rng.unitVector();
                double shift = rng.uniform(0, 0.2) * diameter / 2;
                coreOffset = new double[] {dir[0] * shift, dir[1] * shift, dir[2] * shift};
            }
        }
        double[][] lobes = new double[NoduleBody.LOBES][];
        double[] amplitudes = new double[NoduleBody.LOBES];
        double maxAmplitude = type == NoduleType.GROUND_GLASS ? 0.08 : 0.15;
        for (int l = 0; l < NoduleBody.LOBES; l++) {
            lobes[l] = rng.unitVector();
            amplitudes[l] = rng.uniform(0, maxAmplitude);
        }
        double radius = diameter / 2;
        rng = SplitMix64.stream(seed, PLACEMENT_STREAM, id);
        double[] center = null;
        NoduleAttachment actual = attachment;
        for (int tries = 0; tries < 3 * TRIES && center == null; tries++) {
            if (tries == TRIES) {
                actual = NoduleAttachment.ISOLATED; // this lung has no room for the wanted contact
            }
            center = candidate(actual, radius, tries >= 2 * TRIES);
        }
        if (center == null) {
            throw new IllegalArgumentException("could not place nodule " + id + " (" + Math.round(diameter)
                    + " mm) inside the lungs within the scanned volume: the field of view or slice range"
                    + " covers too little lung; use a larger grid");
        }
        PlantedNodule truth = new PlantedNodule(id, new Vec3(center[0], center[1], center[2]), diameter, type,
                actual, hu, coreDiameter, coreHu);
        placed.add(new NoduleBody(truth, lobes, amplitudes,
                new double[] {center[0] + coreOffset[0], center[1] + coreOffset[1], center[2] + coreOffset[2]}));
    }

    /** One placement try; null when it fails a constraint. Relaxed: isolated without clearances. */
    private double[] candidate(NoduleAttachment attachment, double radius, boolean relaxed) {
        double margin = radius * 1.3 + 1;
        double[] c;
        switch (attachment) {
            case ISOLATED -> {
                c = randomLungPoint(margin);
                if (c == null) {
                    return null;
                }
                if (!relaxed && (!clearOfLungEdge(c, radius + 3) || nearestMajorVesselSurfaceMm(c) < radius + 1)) {
                    return null;
                }
            }
            case JUXTAPLEURAL -> {
                double[] p = randomLungPoint(margin);
                if (p == null) {
                    return null;
                }
                double[] dir = rng.unitVector();
                dir = VesselTrees.unit(new double[] {dir[0], dir[1], dir[2] * 0.3});
                double[] edge = lastLungPoint(p, dir);
                c = VesselTrees.along(edge, dir, -radius * rng.uniform(0.5, 0.85));
                if (!anatomy.inLung(c[0], c[1], c[2])) {
                    return null;
                }
            }
            default -> {
                if (attachable.isEmpty()) {
                    return null;
                }
                Tube t = attachable.get((int) (rng.nextDouble() * attachable.size()));
                double s = rng.nextDouble();
                double[] axis = t.pointAt(s);
                double[] dir = rng.unitVector();
                double[] along = VesselTrees.unit(new double[] {t.dx, t.dy, t.dz});
                double dot = dir[0] * along[0] + dir[1] * along[1] + dir[2] * along[2];
                double[] perpendicular = VesselTrees.unit(new double[] {dir[0] - dot * along[0],
                    dir[1] - dot * along[1], dir[2] - dot * along[2]});
                c = VesselTrees.along(axis, perpendicular, t.radiusAt(s) + radius * rng.uniform(0.6, 0.95));
                if (!clearOfLungEdge(c, radius * 0.9)) {
                    return null;
                }
            }
        }
        return insideVolume(c, margin) && apartFromOthers(c, radius) ? c : null;
    }

    /** A point inside a lung and inside the volume shrunk by margin, by rejection; null after 200 misses. */
    private double[] randomLungPoint(double margin) {
        Anatomy a = anatomy;
        double x0 = Math.max(lo[0] + margin, a.cx - a.cavityHalfWidthMm);
        double x1 = Math.min(hi[0] - margin, a.cx + a.cavityHalfWidthMm);
        double y0 = Math.max(lo[1] + margin, a.yc - a.cavityAnteriorMm);
        double y1 = Math.min(hi[1] - margin, a.yc + a.cavityPosteriorMm);
        double z0 = Math.max(lo[2] + margin, a.lungBaseZ);
        double z1 = Math.min(hi[2] - margin, a.lungApexZ);
        if (x0 >= x1 || y0 >= y1 || z0 >= z1) {
            return null;
        }
        for (int i = 0; i < 200; i++) {
            double[] p = {rng.uniform(x0, x1), rng.uniform(y0, y1), rng.uniform(z0, z1)};
            if (anatomy.inLung(p[0], p[1], p[2])) {
                return p;
            }
        }
        return null;
    }

    /** Walking from p along dir in 0.5 mm steps, the last point still in the lung. */
    private double[] lastLungPoint(double[] p, double[] dir) {
        double[] last = p;
        for (double s = 0.5; s < 300; s += 0.5) {
            double[] q = VesselTrees.along(p, dir, s);
            if (!anatomy.inLung(q[0], q[1], q[2])) {
                return last;
            }
            last = q;
        }
        return last;
    }

    /** Whether lung surrounds c out to distance d: tested at d and d/2 in 26 directions. */
    private boolean clearOfLungEdge(double[] c, double d) {
        for (int ix = -1; ix <= 1; ix++) {
            for (int iy = -1; iy <= 1; iy++) {
                for (int iz = -1; iz <= 1; iz++) {
                    if (ix == 0 && iy == 0 && iz == 0) {
                        continue;
                    }
                    double[] dir = VesselTrees.unit(new double[] {ix, iy, iz});
                    for (double s : new double[] {d / 2, d}) {
                        double[] q = VesselTrees.along(c, dir, s);
                        if (!anatomy.inLung(q[0], q[1], q[2])) {
                            return false;
                        }
                    }
                }
            }
        }
        return anatomy.inLung(c[0], c[1], c[2]);
    }

    private double nearestMajorVesselSurfaceMm(double[] c) {
        double best = Double.POSITIVE_INFINITY;
        for (Tube t : major) {
            double reach = t.maxRadius() + best;
            double bx = Math.max(Math.min(c[0], Math.max(t.x0, t.x0 + t.dx)), Math.min(t.x0, t.x0 + t.dx));
            double by = Math.max(Math.min(c[1], Math.max(t.y0, t.y0 + t.dy)), Math.min(t.y0, t.y0 + t.dy));
            double bz = Math.max(Math.min(c[2], Math.max(t.z0, t.z0 + t.dz)), Math.min(t.z0, t.z0 + t.dz));
            if (Math.abs(bx - c[0]) > reach || Math.abs(by - c[1]) > reach || Math.abs(bz - c[2]) > reach) {
                continue;
            }
            best = Math.min(best, t.surfaceDistance(c[0], c[1], c[2]));
        }
        return best;
    }

    private boolean insideVolume(double[] c, double margin) {
        for (int a = 0; a < 3; a++) {
            if (c[a] < lo[a] + margin || c[a] > hi[a] - margin) {
                return false;
            }
        }
        return true;
    }

    private boolean apartFromOthers(double[] c, double radius) {
        for (NoduleBody other : placed) {
            double ex = c[0] - other.x;
            double ey = c[1] - other.y;
            double ez = c[2] - other.z;
            double minimum = radius + other.radius + 5;
            if (ex * ex + ey * ey + ez * ez < minimum * minimum) {
                return false;
            }
        }
        return true;
    }
}
