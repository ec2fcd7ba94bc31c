package org.noduled.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.noduled.detect.DetectorConfig;
import org.noduled.preprocess.phantom.PhantomSpec;

/**
 * The shipped model through the Java pipeline on default-geometry phantoms it never saw, against its card's
 * operating point: the proof that the runtime prepares slabs and decodes findings as training did (issue 4).
 * Fails, rather than passing vacuously, when the shipped model is missing: CI has it. Synthetic, not for
 * clinical use. Three series: the tolerance is what three series can show (2 standard deviations of a binomial
 * count of found nodules, 3 of the false-positive count), so a gross pipeline mismatch (wrong window, spacing,
 * orientation or offset) fails it; the 2-point agreement itself needs hundreds of nodules and is measured by
 * {@code noduled bench accuracy} (on the card's own test seeds the comparison is paired: same phantoms).
 */
class ShippedModelAccuracyTest {

    /** Outside the card's training, validation and test seeds, and outside bench accuracy's default 20. */
    private static final long FIRST_SEED = 700_100;
    private static final int SERIES = 3;

    @Test
    void javaPipeline_onThreeUnseenPhantoms_meetsTheCardsOperatingPoint() throws Exception {
        Path card = ShippedModels.defaultCard();
        assertTrue(Files.isRegularFile(card), "the shipped model card " + card + " is missing; CI has it (models/ from"
                + " the ML engineer's release); this test fails rather than pass without it");
        CardFigures figures = CardFigures.read(card);
        assertTrue(figures.sensitivity().isPresent() && figures.fpPerScan().isPresent(),
                "the card states its operating-point sensitivity and FP/scan: " + card);
        assertEquals(null, figures.overlappingTrainingSplit(FIRST_SEED, SERIES), "seeds the model was fitted on");

        List<String> lines = new ArrayList<>();
        AccuracyTally t = AccuracyBench.run(card, DetectorConfig.defaults(), PhantomSpec.defaults(0), FIRST_SEED,
                SERIES, lines::add).atOperatingPoint();

        String report = String.join("\n", lines) + "\n" + t;
        System.out.println(report); // the figures in the CI log, pass or fail
        assertTrue(t.nodules() >= 6, "enough nodules >= 4 mm to say something: " + report);
        double p = figures.sensitivity().getAsDouble();
        double expectedFound = p * t.nodules();
        double foundSd = Math.sqrt(t.nodules() * p * (1 - p));
        assertTrue(t.found() >= Math.floor(expectedFound - 2 * foundSd), "found " + t.found() + " of " + t.nodules()
                + "; the card's sensitivity " + p + " expects " + expectedFound + " +- " + foundSd + "\n" + report);
        // False positives cluster in a few scans (more spread than Poisson), hence 3 standard deviations here.
        double fp = figures.fpPerScan().getAsDouble();
        double fpAllowed = fp * SERIES + 3 * Math.sqrt(Math.max(fp * SERIES, 1));
        assertTrue(t.falsePositives() <= Math.ceil(fpAllowed), t.falsePositives() + " false positives in " + SERIES
                + " scans; the card's " + fp + "/scan allows " + fpAllowed + "\n" + report);
    }
}
