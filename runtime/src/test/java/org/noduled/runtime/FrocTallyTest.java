package org.noduled.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.noduled.detect.Finding;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.phantom.NoduleAttachment;
import org.noduled.preprocess.phantom.NoduleType;
import org.noduled.preprocess.phantom.PlantedNodule;

/**
 * The Java FROC count against models/training/nodtrain/froc.py: the same three scans given to
 * {@code Froc.add_scan} there gave sensitivities [0.25, 0.25, 0.25, 0.5, 0.75, 0.75, 0.75] and CPM 0.5.
 */
class FrocTallyTest {

    private static PlantedNodule nodule(int id, Vec3 center, double diameterMm) {
        return new PlantedNodule(id, center, diameterMm, NoduleType.SOLID, NoduleAttachment.ISOLATED, 40, 0, 0);
    }

    private static Finding finding(double x, double y, double z, double score) {
        return new Finding(new Vec3(x, y, z), Vec3.ZERO, 8, score, "1.2.3");
    }

    private static FrocTally threeScans() {
        return FrocTally.empty(4)
                .plus(List.of(nodule(1, Vec3.ZERO, 10), nodule(2, new Vec3(50, 0, 0), 5),
                        nodule(3, new Vec3(-50, 0, 0), 3)), List.of(
                        finding(1, 0, 0, 0.9), finding(0, 1, 0, 0.95),   // the 10 mm nodule: its best is 0.95
                        finding(50, 1, 0, 0.3),                          // the 5 mm nodule
                        finding(-50, 1, 0, 0.8),                         // only a 3 mm nodule: neither true nor false
                        finding(0, 80, 0, 0.7), finding(0, -80, 0, 0.2)))
                .plus(List.of(nodule(1, Vec3.ZERO, 6)), List.of(        // missed; three false positives
                        finding(100, 0, 0, 0.6), finding(0, 100, 0, 0.4), finding(20, 20, 0, 0.1)))
                .plus(List.of(nodule(1, Vec3.ZERO, 8)), List.of(
                        finding(30, 0, 0, 0.35), finding(0, 0, 1, 0.5), finding(90, 90, 0, 0.05)));
    }

    @Test
    void sensitivities_matchTheTrainingCodesStepCurveOnTheSameScans() {
        FrocTally t = threeScans();

        assertEquals(3, t.scans());
        assertEquals(4, t.nodules(), "nodules >= 4 mm only");
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.5, 0.75, 0.75, 0.75}, t.sensitivities(), 1e-12);
        assertEquals(0.5, t.cpm(), 1e-12);
    }

    @Test
    void aRateIsReadOnlyAtThresholdsWhoseFalsePositivesStayWithinIt() {
        // One scan: the nodule scores 0.5, two false positives score above it. At 1 FP/scan the nodule is not
        // yet reached (the threshold 0.5 keeps 2 false positives); at 2 it is.
        FrocTally t = FrocTally.empty(4).plus(List.of(nodule(1, Vec3.ZERO, 10)),
                List.of(finding(0, 0, 0, 0.5), finding(60, 0, 0, 0.9), finding(-60, 0, 0, 0.8)));

        assertArrayEquals(new double[] {0, 0, 0, 0, 1, 1, 1}, t.sensitivities(), 1e-12);
    }

    @Test
    void noCountedNodule_hasNoCurve() {
        FrocTally t = FrocTally.empty(4).plus(List.of(nodule(1, Vec3.ZERO, 3)), List.of(finding(0, 0, 0, 0.9)));

        assertEquals(0, t.nodules());
        assertTrue(Arrays.stream(t.sensitivities()).allMatch(Double::isNaN));
        assertTrue(Double.isNaN(t.cpm()));
    }

    @Test
    void benchAccuracy_printsTheCurveAndTheCpmBesideTheCards() {
        StringWriter text = new StringWriter();
        CardFigures card = new CardFigures(OptionalDouble.of(0.9), OptionalDouble.of(1.1), OptionalDouble.of(0.889),
                "400 phantoms", Map.of());

        BenchAccuracyCommand.printFroc(new PrintWriter(text, true), threeScans(), card);

        assertEquals("Java FROC, nodules >= 4 mm (4 in 3 scans), sensitivity at FP/scan 0.125: 0.250, 0.25: 0.250, "
                + "0.5: 0.250, 1: 0.500, 2: 0.750, 4: 0.750, 8: 0.750\nCPM: Java 0.500 vs card 0.889: -38.9 points\n",
                text.toString().replace(System.lineSeparator(), "\n"));
    }
}
