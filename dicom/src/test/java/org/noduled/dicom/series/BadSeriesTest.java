package org.noduled.dicom.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.noduled.dicom.series.TextAssertions.assertContains;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input gives a refusal that names the series, what is wrong, where, and what to do. */
class BadSeriesTest {

    @TempDir
    Path dir;

    @Test
    void nonCtModality_isRefusedNamingTheModality() throws Exception {
        for (int n = 1; n <= 3; n++) {
            TestSlice s = TestSlice.at(n, n);
            s.modality = "MR";
            s.writeInto(dir);
        }
        assertContains(Ingest.refusal(dir), "series 1.2.826.….999.1", "modality MR (3 file(s)), not CT",
                "route only CT series");
    }

    @Test
    void missingPixelData_isRefusedNamingTheInstance() throws Exception {
        Ingest.writeStack(dir, 3, 0, 1);
        TestSlice s = TestSlice.at(3, 4);
        s.withPixelData = false;
        s.writeInto(dir);
        assertContains(Ingest.refusal(dir), "instance 4 (", "has no pixel data");
    }

    @Test
    void truncatedPixelData_isRefusedSayingHowMuchIsMissing() throws Exception {
        Ingest.writeStack(dir, 2, 0, 1);
        Path file = TestSlice.at(2, 3).writeInto(dir);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
        assertContains(Ingest.refusal(dir), "instance 3 (", "is truncated", "lacks 100 of 512 bytes",
                "resend the series");
    }

    @Test
    void rowsAndColumnsDifferingInsideTheSeries_areRefusedWithBothSizes() throws Exception {
        Ingest.writeStack(dir, 3, 0, 1);
        TestSlice small = TestSlice.at(3, 4);
        small.rows = 8;
        small.columns = 8;
        small.writeInto(dir);
        assertContains(Ingest.refusal(dir), "slices differ in size", "3 slice(s) 16x16", "1 slice(s) 8x8",
                "instance 4 (");
    }

    @Test
    void identicalDuplicateInstance_isDroppedWithAWarning() throws Exception {
        Ingest.writeStack(dir, 3, 0, 1);
        TestSlice.at(1, 2).write(dir.resolve("resent-copy.dcm"));
        IngestedSeries series = Ingest.load(dir);
        assertEquals(3, series.volume().geometry().slices());
        assertEquals(1, series.warnings().size());
        assertContains(series.warnings().get(0), "1 identical duplicate(s) of instance 2", "resent-copy.dcm");
    }

    @Test
    void differentImagesUnderOneSopInstanceUid_areRefused() throws Exception {
        Ingest.writeStack(dir, 3, 0, 1);
        TestSlice other = TestSlice.at(7, 2); // same UID as instance 2, other position and pixels
        other.write(dir.resolve("impostor.dcm"));
        assertContains(Ingest.refusal(dir), "SOP Instance UID", "names 2 different images", "impostor.dcm",
                "reused a UID");
    }

    @Test
    void twoDifferentSlicesAtOnePosition_areRefusedNamingBoth() throws Exception {
        Ingest.writeStack(dir, 4, 0, 1);
        TestSlice.at(2, 9).writeInto(dir);
        assertContains(Ingest.refusal(dir), "1 pair(s) of different slices at one position", "2.00 mm",
                "instance 9 (", "instance 3 (");
    }

    @Test
    void missingSlices_areRefusedSayingHowManyAndBetweenWhich() throws Exception {
        for (int n = 1; n <= 10; n++) {
            if (n != 5 && n != 6) {
                TestSlice.at(-20 + 2.0 * n, n).writeInto(dir);
            }
        }
        assertContains(Ingest.refusal(dir), "2 slice(s) missing at 2.00 mm spacing",
                "2 between -12.00 mm (instance 4 (", "and -6.00 mm (instance 7 (", "resend the whole series");
    }

    @Test
    void nonUniformSpacing_isRefusedStatingTheTolerance() throws Exception {
        double[] z = {0, 1, 2, 3.5, 4.5, 5.5};
        for (int k = 0; k < z.length; k++) {
            TestSlice.at(z[k], k + 1).writeInto(dir);
        }
        assertContains(Ingest.refusal(dir), "slice spacing is not uniform", "steps range from 1.000 to 1.500 mm",
                "tolerance 10% of the spacing");
    }

    @Test
    void positionsRoundedInTheHeader_areStillAUniformStack() throws Exception {
        // 0.625 mm slices with positions written to one decimal: steps alternate 0.6 / 0.7 mm.
        for (int k = 0; k < 8; k++) {
            TestSlice.at(Math.round(k * 0.625 * 10) / 10.0, k + 1).writeInto(dir);
        }
        assertEquals(8, Ingest.load(dir).volume().geometry().slices());
    }

    @Test
    void gantryTilt_isRefusedWithTheAngle() throws Exception {
        double tan = Math.tan(Math.toRadians(15));
        for (int n = 1; n <= 5; n++) {
            TestSlice s = TestSlice.at(2.0 * n, n);
            s.positionMm[1] += 2.0 * n * tan; // each slice shifted along y: a sheared stack
            s.gantryTiltDegrees = 15.0;
            s.writeInto(dir);
        }
        assertContains(Ingest.refusal(dir), "gantry tilt", "a 15.0° tilt", "Gantry/Detector Tilt says 15.0°",
                "tolerance: half a pixel, 0.35 mm");
    }

    @Test
    void obliqueOrientation_isRefusedWithTheAngle() throws Exception {
        double c = Math.cos(Math.toRadians(20));
        double s = Math.sin(Math.toRadians(20));
        for (int n = 1; n <= 3; n++) {
            TestSlice slice = TestSlice.at(0, n);
            slice.orientation = new double[] {1, 0, 0, 0, c, s};
            slice.positionMm = new double[] {0, -s * n, c * n}; // stacked along the tilted normal
            slice.writeInto(dir);
        }
        assertContains(Ingest.refusal(dir), "oblique orientation", "20.0° off the patient axes", "tolerance 0.5°");
    }

    @Test
    void mixedOrientations_areRefusedCountingEach() throws Exception {
        Ingest.writeStack(dir, 4, 0, 1);
        TestSlice localizer = TestSlice.at(0, 99);
        localizer.orientation = new double[] {1, 0, 0, 0, 0, -1};
        localizer.writeInto(dir);
        assertContains(Ingest.refusal(dir), "mixed orientations", "4 slice(s) axial", "1 slice(s) coronal",
                "instance 99 (");
    }

    @Test
    void missingRescale_isRefusedBecauseHuWouldBeGuessed() throws Exception {
        Ingest.writeStack(dir, 2, 0, 1);
        TestSlice s = TestSlice.at(2, 3);
        s.intercept = null;
        s.writeInto(dir);
        assertContains(Ingest.refusal(dir), "instance 3 (", "no valid Rescale Slope and Intercept");
    }

    @Test
    void missingImagePosition_isRefused() throws Exception {
        Ingest.writeStack(dir, 2, 0, 1);
        TestSlice s = TestSlice.at(2, 3);
        s.positionMm = null;
        s.writeInto(dir);
        assertContains(Ingest.refusal(dir), "instance 3 (", "no valid Image Position (Patient)");
    }

    @Test
    void singleSlice_isRefused() throws Exception {
        TestSlice.at(0, 1).writeInto(dir);
        assertContains(Ingest.refusal(dir), "has only 1 slice");
    }

    @Test
    void mixedFramesOfReference_areRefused() throws Exception {
        Ingest.writeStack(dir, 2, 0, 1);
        TestSlice s = TestSlice.at(2, 3);
        s.frameOfReferenceUid = TestSlice.ROOT + ".77";
        s.writeInto(dir);
        assertContains(Ingest.refusal(dir), "different Frames of Reference", "1 slice(s) 1.2.826.…999.77");
    }
}
