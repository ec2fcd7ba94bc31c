package org.noduled.preprocess.phantom;

/**
 * A straight tube with rounded ends: all points within {@code r(t)} of the segment p0-p1, where the radius
 * goes linearly from {@code r0} at p0 to {@code r1} at p1 and t is the closest point's position along the
 * segment (0..1). Polylines of tubes join without gaps, so vessels, ribs, airways and the aorta are all
 * built from them. Patient coordinates (LPS, mm).
 */
final class Tube {

    final TubeKind kind;
    final double x0;
    final double y0;
    final double z0;
    final double r0;
    final double r1;
    final double dx;
    final double dy;
    final double dz;
    final double inverseLengthSquared;

    Tube(TubeKind kind, double[] p0, double[] p1, double r0, double r1) {
        this.kind = kind;
        this.x0 = p0[0];
        this.y0 = p0[1];
        this.z0 = p0[2];
        this.dx = p1[0] - p0[0];
        this.dy = p1[1] - p0[1];
        this.dz = p1[2] - p0[2];
        this.r0 = r0;
        this.r1 = r1;
        double lengthSquared = dx * dx + dy * dy + dz * dz;
        this.inverseLengthSquared = lengthSquared > 0 ? 1 / lengthSquared : 0;
    }

    double maxRadius() {
        return Math.max(r0, r1);
    }

    double zMin() {
        return Math.min(z0, z0 + dz) - maxRadius();
    }

    double zMax() {
        return Math.max(z0, z0 + dz) + maxRadius();
    }

    /** Position along the axis (0..1) of the axis point closest to (x, y, z). */
    double along(double x, double y, double z) {
        double t = ((x - x0) * dx + (y - y0) * dy + (z - z0) * dz) * inverseLengthSquared;
        return t < 0 ? 0 : (t > 1 ? 1 : t);
    }

    /** Distance (mm) from (x, y, z) to the axis point at position t. */
    double distanceAt(double t, double x, double y, double z) {
        return Math.sqrt(distanceSquaredAt(t, x, y, z));
    }

    /** Squared distance (mm^2) from (x, y, z) to the axis point at position t. */
    double distanceSquaredAt(double t, double x, double y, double z) {
        double ex = x - (x0 + t * dx);
        double ey = y - (y0 + t * dy);
        double ez = z - (z0 + t * dz);
        return ex * ex + ey * ey + ez * ez;
    }

    double radiusAt(double t) {
        return r0 + t * (r1 - r0);
    }

    /** Signed distance (mm) from (x, y, z) to the tube's surface: negative inside. */
    double surfaceDistance(double x, double y, double z) {
        double t = along(x, y, z);
        return distanceAt(t, x, y, z) - radiusAt(t);
    }

    /** Point at position t along the axis. */
    double[] pointAt(double t) {
        return new double[] {x0 + t * dx, y0 + t * dy, z0 + t * dz};
    }

    /**
     * The range [tA, tB] of axis positions whose points lie within {@code reachMm} of the plane at height z;
     * null when the plane misses the tube.
     */
    double[] rangeNearPlane(double z, double reachMm) {
        if (Math.abs(dz) < 1e-9) {
            return Math.abs(z - z0) > reachMm ? null : new double[] {0, 1};
        }
        double a = (z - reachMm - z0) / dz;
        double b = (z + reachMm - z0) / dz;
        double tA = Math.max(0, Math.min(a, b));
        double tB = Math.min(1, Math.max(a, b));
        return tA > tB ? null : new double[] {tA, tB};
    }

    /**
     * The in-plane box [xMin, xMax, yMin, yMax] (mm) of the tube's cut by the plane at height z, grown by
     * {@code marginMm}; null when the plane misses it.
     */
    double[] planeBox(double z, double marginMm) {
        double reach = maxRadius() + marginMm;
        double[] range = rangeNearPlane(z, reach);
        if (range == null) {
            return null;
        }
        double xa = x0 + range[0] * dx;
        double xb = x0 + range[1] * dx;
        double ya = y0 + range[0] * dy;
        double yb = y0 + range[1] * dy;
        return new double[] {Math.min(xa, xb) - reach, Math.max(xa, xb) + reach,
            Math.min(ya, yb) - reach, Math.max(ya, yb) + reach};
    }

    /**
     * The x interval [xMin, xMax] (mm) holding every point of the plane-z, row-y line within {@code reachMm}
     * of the axis part {@code range} (from {@link #rangeNearPlane}); null when there is none. Narrower than
     * the plane box for tubes running obliquely across the plane.
     */
    double[] rowInterval(double y, double[] range, double reachMm) {
        double tA = range[0];
        double tB = range[1];
        if (Math.abs(dy) < 1e-9) {
            if (Math.abs(y - y0) > reachMm) {
                return null;
            }
        } else {
            double a = (y - reachMm - y0) / dy;
            double b = (y + reachMm - y0) / dy;
            tA = Math.max(tA, Math.min(a, b));
            tB = Math.min(tB, Math.max(a, b));
            if (tA > tB) {
                return null;
            }
        }
        double xa = x0 + tA * dx;
        double xb = x0 + tB * dx;
        return new double[] {Math.min(xa, xb) - reachMm, Math.max(xa, xb) + reachMm};
    }
}
