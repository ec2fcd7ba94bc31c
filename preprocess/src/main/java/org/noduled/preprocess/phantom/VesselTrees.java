package org.noduled.preprocess.phantom;

import java.util.ArrayList;
import java.util.List;

/**
 * Pulmonary vessel trees that fill the lungs, built by recursive partition of supply points (after the
 * space-filling airway model of Tawhai et al., 2000, simplified).
 *
 * <p>Per lung two trees (arterial from the hilum, venous from a root offset by {@link #VEIN_ROOT_OFFSET_MM}:
 * lower and in front), each with its own stream (seed, {@link #STREAM}, side * 2 + tree): first
 * {@link #POINTS_PER_TREE} points uniform in that lung (rejection sampling in the box of that half of the
 * pleural cavity, lung base to apex), then one draw per branch. A branch from p supplying the point set S
 * runs towards the centroid c of S for a fraction U(0.4, 0.6) of |c - p| (a single point: all the way, as
 * a terminal vessel). S is then split at c across the direction, perpendicular to the branch, in which S
 * spreads most ({@link #splitNormal}), and each half continues from the branch end, depth first, the half
 * on the negative side first. Radii follow Murray's law with flow proportional to supplied points:
 * r = {@link #TERMINAL_RADIUS_MM} * |S|^(1/3), constant along a branch (terminal vessels taper to
 * {@link #TIP_TAPER} of it at their tip): trunks near 7 mm at the hilum, thinning towards the periphery,
 * where only terminal vessels reach.
 */
final class VesselTrees {

    static final long STREAM = 2;
    static final int POINTS_PER_TREE = 3000;
    static final double TERMINAL_RADIUS_MM = 0.5;
    /** A terminal vessel tapers to this fraction of its radius at its tip. */
    static final double TIP_TAPER = 0.6;
    static final double[] VEIN_ROOT_OFFSET_MM = {0, -12, -25};
    static final int POWER_ITERATIONS = 16;

    private final Anatomy anatomy;
    private final List<Tube> tubes = new ArrayList<>();
    private SplitMix64 rng;
    private double[][] points;

    private VesselTrees(Anatomy anatomy) {
        this.anatomy = anatomy;
    }

    static List<Tube> grow(Anatomy anatomy, long seed) {
        VesselTrees trees = new VesselTrees(anatomy);
        for (int side = 0; side < 2; side++) {
            for (int tree = 0; tree < 2; tree++) {
                trees.growTree(SplitMix64.stream(seed, STREAM, side * 2L + tree), side, tree);
            }
        }
        return List.copyOf(trees.tubes);
    }

    private void growTree(SplitMix64 random, int side, int tree) {
        Anatomy a = anatomy;
        rng = random;
        double sign = Anatomy.sideSign(side);
        double[] lo = {sign < 0 ? a.cx - a.cavityHalfWidthMm : a.cx, a.yc - a.cavityAnteriorMm, a.lungBaseZ};
        double[] hi = {sign < 0 ? a.cx : a.cx + a.cavityHalfWidthMm, a.yc + a.cavityPosteriorMm, a.lungApexZ};
        points = new double[POINTS_PER_TREE][];
        int n = 0;
        while (n < POINTS_PER_TREE) {
            double[] p = {rng.uniform(lo[0], hi[0]), rng.uniform(lo[1], hi[1]), rng.uniform(lo[2], hi[2])};
            if (a.inLung(p[0], p[1], p[2])) {
                points[n++] = p;
            }
        }
        double[] root = {a.hilumX[side], a.hilumY[side], a.hilumZ[side]};
        if (tree == 1) {
            root = new double[] {root[0] + sign * VEIN_ROOT_OFFSET_MM[0], root[1] + VEIN_ROOT_OFFSET_MM[1],
                root[2] + VEIN_ROOT_OFFSET_MM[2]};
        }
        int[] all = new int[POINTS_PER_TREE];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        double[] lungMiddle = {(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2};
        branch(root, unit(minus(lungMiddle, root)), all);
    }

    private void branch(double[] p, double[] incoming, int[] supplied) {
        double radius = TERMINAL_RADIUS_MM * StrictMath.cbrt(supplied.length);
        if (supplied.length == 1) {
            tubes.add(new Tube(TubeKind.VESSEL, p, points[supplied[0]], radius, radius * TIP_TAPER));
            return;
        }
        double[] c = new double[3];
        for (int index : supplied) {
            for (int a = 0; a < 3; a++) {
                c[a] += points[index][a];
            }
        }
        for (int a = 0; a < 3; a++) {
            c[a] /= supplied.length;
        }
        double fraction = rng.uniform(0.4, 0.6);
        double[] q = {p[0] + fraction * (c[0] - p[0]), p[1] + fraction * (c[1] - p[1]), p[2] + fraction * (c[2] - p[2])};
        tubes.add(new Tube(TubeKind.VESSEL, p, q, radius, radius));
        double[] toCentroid = minus(c, p);
        double[] direction = norm(toCentroid) > 1e-6 ? unit(toCentroid) : incoming;
        double[] normal = splitNormal(supplied, c, direction);
        int below = 0;
        for (int index : supplied) {
            if (side(points[index], c, normal) < 0) {
                below++;
            }
        }
        int[] low = new int[below];
        int[] high = new int[supplied.length - below];
        int l = 0;
        int h = 0;
        for (int index : supplied) {
            if (side(points[index], c, normal) < 0) {
                low[l++] = index;
            } else {
                high[h++] = index;
            }
        }
        if (low.length > 0) {
            branch(q, direction, low);
        }
        if (high.length > 0) {
            branch(q, direction, high);
        }
    }

    private static double side(double[] point, double[] c, double[] normal) {
        return (point[0] - c[0]) * normal[0] + (point[1] - c[1]) * normal[1] + (point[2] - c[2]) * normal[2];
    }

    /**
     * The direction, perpendicular to the branch, along which the supplied points spread most: the leading
     * eigenvector of P C P (C their scatter matrix about c, P the projection off the branch direction d),
     * by {@link #POWER_ITERATIONS} power iterations from P e, e the coordinate axis least aligned with d.
     * Splitting across it sends the two children sideways, and no plane is shared by the whole tree.
     */
    private double[] splitNormal(int[] supplied, double[] c, double[] d) {
        double[][] scatter = new double[3][3];
        for (int index : supplied) {
            double[] s = points[index];
            double[] e = {s[0] - c[0], s[1] - c[1], s[2] - c[2]};
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    scatter[i][j] += e[i] * e[j];
                }
            }
        }
        int least = Math.abs(d[0]) <= Math.abs(d[1]) && Math.abs(d[0]) <= Math.abs(d[2]) ? 0
                : (Math.abs(d[1]) <= Math.abs(d[2]) ? 1 : 2);
        double[] axis = new double[3];
        axis[least] = 1;
        double[] start = unit(project(axis, d));
        double[] v = start;
        for (int iteration = 0; iteration < POWER_ITERATIONS; iteration++) {
            double[] w = project(multiply(scatter, project(v, d)), d);
            if (norm(w) < 1e-9) {
                return start;
            }
            v = unit(w);
        }
        return v;
    }

    private static double[] project(double[] v, double[] d) {
        double dot = v[0] * d[0] + v[1] * d[1] + v[2] * d[2];
        return new double[] {v[0] - dot * d[0], v[1] - dot * d[1], v[2] - dot * d[2]};
    }

    private static double[] multiply(double[][] m, double[] v) {
        return new double[] {
            m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
            m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
            m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2]};
    }

    static double norm(double[] v) {
        return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    }

    static double[] minus(double[] p, double[] q) {
        return new double[] {p[0] - q[0], p[1] - q[1], p[2] - q[2]};
    }

    static double[] along(double[] p, double[] dir, double s) {
        return new double[] {p[0] + dir[0] * s, p[1] + dir[1] * s, p[2] + dir[2] * s};
    }

    static double[] unit(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }
}
