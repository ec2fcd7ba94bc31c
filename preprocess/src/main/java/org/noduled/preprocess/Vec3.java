package org.noduled.preprocess;

/** A 3-vector of doubles: a point or direction in patient coordinates (DICOM LPS, millimetres) or voxel units. */
public record Vec3(double x, double y, double z) {

    public static final Vec3 ZERO = new Vec3(0, 0, 0);

    public static Vec3 of(double[] xyz) {
        if (xyz == null || xyz.length != 3) {
            throw new IllegalArgumentException("a 3-vector needs exactly 3 values, got "
                    + (xyz == null ? "none" : String.valueOf(xyz.length)));
        }
        return new Vec3(xyz[0], xyz[1], xyz[2]);
    }

    public Vec3 plus(Vec3 o) {
        return new Vec3(x + o.x, y + o.y, z + o.z);
    }

    public Vec3 minus(Vec3 o) {
        return new Vec3(x - o.x, y - o.y, z - o.z);
    }

    public Vec3 times(double s) {
        return new Vec3(x * s, y * s, z * s);
    }

    public double dot(Vec3 o) {
        return x * o.x + y * o.y + z * o.z;
    }

    public Vec3 cross(Vec3 o) {
        return new Vec3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x);
    }

    public double norm() {
        return Math.sqrt(dot(this));
    }

    public Vec3 unit() {
        double n = norm();
        if (n == 0) {
            throw new IllegalArgumentException("zero vector has no direction");
        }
        return times(1 / n);
    }

    public double[] toArray() {
        return new double[] {x, y, z};
    }

    @Override
    public String toString() {
        return String.format("(%.3f, %.3f, %.3f)", x, y, z);
    }
}
