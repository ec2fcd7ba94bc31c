package org.noduled.dicom.series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.noduled.dicom.DicomException;
import org.noduled.preprocess.ShortUid;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.VolumeGeometry;

/**
 * The slices of one series in order along the slice normal, and the regular grid they lie on; or, when they
 * do not lie on one, every reason why. Slices are sorted by Image Position (Patient) projected on the normal
 * of Image Orientation (Patient), never by Instance Number or file name, and k grows along the normal.
 *
 * <p>Tolerances (stated in the messages that use them): orientations within {@value #ANGLE_TOLERANCE_DEGREES}
 * degree count as equal and as axis-aligned; slices closer than {@value #SAME_POSITION_MM} mm along the normal
 * are at one position; each slice must lie within {@value #SPACING_TOLERANCE_FRACTION} of the slice spacing of
 * its place on a uniform grid; sideways drift (gantry tilt) must stay under half a pixel over the stack.
 */
record SliceStack(List<SliceHeader> sorted, VolumeGeometry geometry) {

    static final double ANGLE_TOLERANCE_DEGREES = 0.5;
    static final double SAME_POSITION_MM = 0.01;
    static final double SPACING_TOLERANCE_FRACTION = 0.1;
    private static final double PIXEL_SPACING_TOLERANCE_MM = 1e-3;
    private static final int LISTED = 3;

    /**
     * Orders the slices and measures their grid. Every slice must already carry a position, orientation and
     * pixel spacing (the assembler checks that first).
     */
    static SliceStack of(String seriesUid, List<SliceHeader> slices) throws DicomException {
        List<String> problems = new ArrayList<>();
        checkSameSize(slices, problems);
        checkOneFrameOfReference(slices, problems);
        Orientation orientation = commonOrientation(slices, problems);
        double[] pixelSpacingMm = commonPixelSpacing(slices, problems);
        if (slices.size() < 2) {
            problems.add("has only " + slices.size() + " slice; noduled needs a stack of slices; send the whole series");
        }
        if (!problems.isEmpty()) {
            throw failure(seriesUid, problems);
        }
        Vec3 normal = orientation.row().cross(orientation.column());
        List<SliceHeader> sorted = slices.stream()
                .sorted(Comparator.comparingDouble(s -> position(s).dot(normal)))
                .toList();
        double[] along = sorted.stream().mapToDouble(s -> position(s).dot(normal)).toArray();
        checkDistinctPositions(sorted, along, problems);
        if (problems.isEmpty()) {
            checkNoTilt(sorted, along, normal, Math.min(pixelSpacingMm[0], pixelSpacingMm[1]), problems);
        }
        double sliceSpacingMm = problems.isEmpty() ? uniformSpacing(sorted, along, problems) : 0;
        if (!problems.isEmpty()) {
            throw failure(seriesUid, problems);
        }
        // DICOM Pixel Spacing is (between rows, between columns): the step along i is the second value.
        VolumeGeometry geometry = new VolumeGeometry(
                sorted.get(0).format().columns(), sorted.get(0).format().rows(), sorted.size(),
                position(sorted.get(0)), orientation.row(), orientation.column(), normal,
                new Vec3(pixelSpacingMm[1], pixelSpacingMm[0], sliceSpacingMm));
        return new SliceStack(sorted, geometry);
    }

    private static DicomException failure(String seriesUid, List<String> problems) {
        return DicomException.forSeries(seriesUid, String.join("; ", problems));
    }

    private static void checkSameSize(List<SliceHeader> slices, List<String> problems) {
        Map<String, List<SliceHeader>> bySize = slices.stream().collect(Collectors.groupingBy(
                s -> s.format().columns() + "x" + s.format().rows(), LinkedHashMap::new, Collectors.toList()));
        if (bySize.size() > 1) {
            problems.add("slices differ in size (columns x rows): " + describeGroups(bySize)
                    + "; images of another size are mixed into the series; resend only the CT series");
        }
    }

    private static void checkOneFrameOfReference(List<SliceHeader> slices, List<String> problems) {
        Map<String, List<SliceHeader>> byFrame = slices.stream().collect(Collectors.groupingBy(
                s -> ShortUid.of(s.frameOfReferenceUid()), LinkedHashMap::new, Collectors.toList()));
        if (byFrame.size() > 1) {
            problems.add("slices lie in different Frames of Reference: " + describeGroups(byFrame)
                    + "; resend only one acquisition");
        }
    }

    /** The orientation all slices share, or null with the problem recorded. */
    private static Orientation commonOrientation(List<SliceHeader> slices, List<String> problems) {
        Map<Orientation, List<SliceHeader>> groups = new LinkedHashMap<>();
        for (SliceHeader s : slices) {
            Orientation o = Orientation.of(s.imageOrientation());
            Orientation same = groups.keySet().stream().filter(g -> g.sameAs(o)).findFirst().orElse(o);
            groups.computeIfAbsent(same, k -> new ArrayList<>()).add(s);
        }
        if (groups.size() > 1) {
            Map<String, List<SliceHeader>> named = new LinkedHashMap<>();
            groups.forEach((o, members) -> named.merge(o.toString(), members, (a, b) -> {
                List<SliceHeader> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            }));
            problems.add("mixed orientations: " + describeGroups(named) + " (tolerance " + ANGLE_TOLERANCE_DEGREES
                    + "°); a localizer or reformat is mixed into the series; resend only the CT stack");
            return null;
        }
        Orientation o = groups.keySet().iterator().next();
        double skewDegrees = 90 - Math.toDegrees(Math.acos(Math.min(1, Math.abs(o.rawRow().unit().dot(o.rawColumn().unit())))));
        if (skewDegrees > ANGLE_TOLERANCE_DEGREES) {
            problems.add(String.format(Locale.ROOT, "Image Orientation (Patient) %s is not orthogonal (rows and "
                    + "columns meet at %.1f°); the header is corrupt; resend the series", o, 90 - skewDegrees));
            return null;
        }
        double obliqueDegrees = Math.max(offAxisDegrees(o.row()), offAxisDegrees(o.column()));
        if (obliqueDegrees > ANGLE_TOLERANCE_DEGREES) {
            problems.add(String.format(Locale.ROOT, "oblique orientation: the image axes %s are %.1f° off the "
                    + "patient axes (tolerance %.1f°); noduled does not resample oblique stacks; send an axial "
                    + "reconstruction", o, obliqueDegrees, ANGLE_TOLERANCE_DEGREES));
            return null;
        }
        return o;
    }

    private static double offAxisDegrees(Vec3 unit) {
        double largest = Math.max(Math.abs(unit.x()), Math.max(Math.abs(unit.y()), Math.abs(unit.z())));
        return Math.toDegrees(Math.acos(Math.min(1, largest)));
    }

    private static double[] commonPixelSpacing(List<SliceHeader> slices, List<String> problems) {
        double[] first = slices.get(0).pixelSpacingMm();
        List<SliceHeader> different = slices.stream()
                .filter(s -> Math.abs(s.pixelSpacingMm()[0] - first[0]) > PIXEL_SPACING_TOLERANCE_MM
                        || Math.abs(s.pixelSpacingMm()[1] - first[1]) > PIXEL_SPACING_TOLERANCE_MM)
                .toList();
        if (!different.isEmpty()) {
            problems.add(String.format(Locale.ROOT, "pixel spacing differs between slices: %s has %s mm but %s has "
                    + "%s mm; resend one reconstruction only", slices.get(0).label(), Arrays.toString(first),
                    different.get(0).label(), Arrays.toString(different.get(0).pixelSpacingMm())));
        }
        return first;
    }

    private static void checkDistinctPositions(List<SliceHeader> sorted, double[] along, List<String> problems) {
        List<String> clashes = new ArrayList<>();
        for (int k = 1; k < sorted.size(); k++) {
            if (along[k] - along[k - 1] < SAME_POSITION_MM) {
                clashes.add(String.format(Locale.ROOT, "%s and %s at %.2f mm", sorted.get(k - 1).label(),
                        sorted.get(k).label(), along[k]));
            }
        }
        if (!clashes.isEmpty()) {
            problems.add(clashes.size() + " pair(s) of different slices at one position (" + listed(clashes)
                    + "); the folder probably holds two reconstructions or two acquisitions under one series UID; "
                    + "resend only one");
        }
    }

    private static void checkNoTilt(List<SliceHeader> sorted, double[] along, Vec3 normal, double minPixelMm,
            List<String> problems) {
        Vec3 first = position(sorted.get(0));
        double worstDriftMm = 0;
        for (SliceHeader s : sorted) {
            Vec3 d = position(s).minus(first);
            worstDriftMm = Math.max(worstDriftMm, d.minus(normal.times(d.dot(normal))).norm());
        }
        double toleranceMm = minPixelMm / 2;
        if (worstDriftMm > toleranceMm) {
            double lengthMm = along[along.length - 1] - along[0];
            Vec3 d = position(sorted.get(sorted.size() - 1)).minus(first);
            double sideways = d.minus(normal.times(d.dot(normal))).norm();
            double tiltDegrees = Math.toDegrees(Math.atan2(sideways, lengthMm));
            Double header = sorted.get(0).gantryTiltDegrees();
            problems.add(String.format(Locale.ROOT, "gantry tilt: slice positions drift %.2f mm sideways over "
                    + "%.1f mm of stack, a %.1f° tilt%s (tolerance: half a pixel, %.2f mm); noduled does not "
                    + "resample tilted stacks; reconstruct without tilt (or with tilt correction) and resend",
                    worstDriftMm, lengthMm, tiltDegrees,
                    header == null ? "" : String.format(Locale.ROOT, "; Gantry/Detector Tilt says %.1f°", header),
                    toleranceMm));
        }
    }

    /** The slice spacing of a uniform stack, or 0 with the gaps and irregularities recorded. */
    private static double uniformSpacing(List<SliceHeader> sorted, double[] along, List<String> problems) {
        double[] steps = new double[along.length - 1];
        for (int k = 0; k < steps.length; k++) {
            steps[k] = along[k + 1] - along[k];
        }
        double nominal = median(steps);
        double tolerance = SPACING_TOLERANCE_FRACTION * nominal;
        List<String> gaps = new ArrayList<>();
        int missing = 0;
        for (int k = 0; k < steps.length; k++) {
            long multiple = Math.round(steps[k] / nominal);
            if (multiple >= 2 && Math.abs(steps[k] - multiple * nominal) <= tolerance) {
                missing += multiple - 1;
                gaps.add(String.format(Locale.ROOT, "%d between %.2f mm (%s) and %.2f mm (%s)", multiple - 1,
                        along[k], sorted.get(k).label(), along[k + 1], sorted.get(k + 1).label()));
            }
        }
        if (!gaps.isEmpty()) {
            problems.add(String.format(Locale.ROOT, "%d slice(s) missing at %.2f mm spacing: %s; the series arrived "
                    + "incomplete; resend the whole series", missing, nominal, listed(gaps)));
            return 0;
        }
        double spacing = (along[along.length - 1] - along[0]) / (along.length - 1);
        int worst = 0;
        for (int k = 1; k < along.length; k++) {
            if (offGrid(along, k, spacing) > offGrid(along, worst, spacing)) {
                worst = k;
            }
        }
        if (offGrid(along, worst, spacing) > SPACING_TOLERANCE_FRACTION * spacing) {
            problems.add(String.format(Locale.ROOT, "slice spacing is not uniform: steps range from %.3f to %.3f mm, "
                    + "and %s at %.2f mm lies %.3f mm off a uniform %.3f mm grid (tolerance %.0f%% of the spacing, "
                    + "%.3f mm); noduled does not resample irregular stacks; resend a series reconstructed at one "
                    + "spacing", Arrays.stream(steps).min().orElse(0), Arrays.stream(steps).max().orElse(0),
                    sorted.get(worst).label(), along[worst], offGrid(along, worst, spacing), spacing,
                    SPACING_TOLERANCE_FRACTION * 100, SPACING_TOLERANCE_FRACTION * spacing));
            return 0;
        }
        return spacing;
    }

    private static double offGrid(double[] along, int k, double spacing) {
        return Math.abs(along[k] - (along[0] + k * spacing));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static Vec3 position(SliceHeader s) {
        return Vec3.of(s.imagePositionMm());
    }

    private static String describeGroups(Map<String, List<SliceHeader>> groups) {
        return groups.entrySet().stream()
                .map(e -> e.getValue().size() + " slice(s) " + e.getKey() + " (e.g. " + e.getValue().get(0).label() + ")")
                .collect(Collectors.joining(", "));
    }

    private static String listed(List<String> items) {
        String shown = String.join(", ", items.subList(0, Math.min(LISTED, items.size())));
        return items.size() > LISTED ? shown + " and " + (items.size() - LISTED) + " more" : shown;
    }

    /**
     * Image Orientation (Patient) as unit row and column directions; the column direction is made exactly
     * orthogonal to the row direction (Gram-Schmidt), as the volume geometry requires.
     */
    private record Orientation(Vec3 rawRow, Vec3 rawColumn, Vec3 row, Vec3 column) {

        static Orientation of(double[] cosines) {
            Vec3 rawRow = new Vec3(cosines[0], cosines[1], cosines[2]);
            Vec3 rawColumn = new Vec3(cosines[3], cosines[4], cosines[5]);
            Vec3 row = rawRow.unit();
            Vec3 column = rawColumn.minus(row.times(rawColumn.dot(row))).unit();
            return new Orientation(rawRow, rawColumn, row, column);
        }

        boolean sameAs(Orientation other) {
            double cosTolerance = Math.cos(Math.toRadians(ANGLE_TOLERANCE_DEGREES));
            return row.dot(other.row) >= cosTolerance && column.dot(other.column) >= cosTolerance;
        }

        String plane() {
            Vec3 n = row.cross(column);
            double x = Math.abs(n.x());
            double y = Math.abs(n.y());
            double z = Math.abs(n.z());
            return z >= x && z >= y ? "axial" : y >= x ? "coronal" : "sagittal";
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s [%.3f, %.3f, %.3f, %.3f, %.3f, %.3f]", plane(), rawRow.x(),
                    rawRow.y(), rawRow.z(), rawColumn.x(), rawColumn.y(), rawColumn.z());
        }
    }
}
