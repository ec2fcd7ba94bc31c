package org.noduled.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.noduled.detect.Finding;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.phantom.NoduleAttachment;
import org.noduled.preprocess.phantom.NoduleType;
import org.noduled.preprocess.phantom.PlantedNodule;

/** The accuracy count follows models/training/nodtrain/froc.py (LUNA16 rules) on hand-placed cases. */
class AccuracyTallyTest {

    private static PlantedNodule nodule(int id, Vec3 center, double diameterMm) {
        return new PlantedNodule(id, center, diameterMm, NoduleType.SOLID, NoduleAttachment.ISOLATED, 40, 0, 0);
    }

    private static Finding finding(Vec3 center, double score) {
        return new Finding(center, Vec3.ZERO, 8, score, "1.2.3");
    }

    private final PlantedNodule ten = nodule(1, new Vec3(0, 0, 0), 10);
    private final PlantedNodule five = nodule(2, new Vec3(50, 0, 0), 5);
    private final PlantedNodule small = nodule(3, new Vec3(-50, 0, 0), 3);

    @Test
    void at_countsHitsWithinTheRadiusAtTheScore_andFindingsHittingNothingAsFalsePositives() {
        AccuracyTally t = FrocTally.empty(4).plus(List.of(ten, five, small), List.of(
                finding(new Vec3(5, 0, 0), 0.9),        // on the 10 mm nodule's radius exactly: a hit
                finding(new Vec3(50, 1, 0), 0.3),       // on the 5 mm nodule, below the operating point
                finding(new Vec3(-50, 1, 0), 0.8),      // on the 3 mm nodule: outside the population, not an FP
                finding(new Vec3(0, 80, 0), 0.7),       // on nothing: a false positive
                finding(new Vec3(0, -80, 0), 0.2)))     // on nothing but below the score: not counted
                .at(0.5);

        assertEquals(1, t.scans());
        assertEquals(2, t.nodules(), ">= 4 mm only");
        assertEquals(1, t.found());
        assertEquals(1, t.falsePositives());
        assertEquals(0.5, t.sensitivity());
        assertEquals(1.0, t.falsePositivesPerScan());
    }

    @Test
    void at_severalFindingsOnOneNodule_countItOnce_andScansAccumulate() {
        AccuracyTally t = FrocTally.empty(4)
                .plus(List.of(ten), List.of(finding(new Vec3(1, 0, 0), 0.9), finding(new Vec3(-1, 0, 0), 0.8)))
                .plus(List.of(five), List.of(finding(new Vec3(50, 2.6, 0), 0.9)))
                .at(0.5);

        assertEquals(2, t.scans());
        assertEquals(2, t.nodules());
        assertEquals(1, t.found(), "2.6 mm from a 5 mm nodule's centre misses it");
        assertEquals(1, t.falsePositives(), "and is a false positive");
        assertEquals(0.5, t.falsePositivesPerScan());
    }

    @Test
    void at_noScan_hasNoSensitivity() {
        assertTrue(Double.isNaN(FrocTally.empty(4).at(0.5).sensitivity()));
    }
}
