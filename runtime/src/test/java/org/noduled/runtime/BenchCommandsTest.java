package org.noduled.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench commands on tiny settings: what they print, not how fast anything is. */
class BenchCommandsTest {

    @TempDir
    static Path dir;
    private static Path series;
    private static Path tiny;

    @BeforeAll
    static void seriesAndModel() {
        series = Fixtures.smallPhantom(dir.resolve("series"), 5, 2);
        tiny = Fixtures.tinyModel(dir.resolve("model"));
    }

    /** The tiny model's card renamed as another variant (same file, so the same numbers up to noise). */
    private static Path asVariant(String variant) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode card = (ObjectNode) json.readTree(tiny.toFile());
        card.put("variant", variant);
        Path path = tiny.resolveSibling(variant + ".card.json");
        json.writeValue(path.toFile(), card);
        return path;
    }

    @Test
    void benchDetect_inProcess_printsARowPerConfigurationAndTheComparisons() throws IOException {
        Fixtures.Run run = Fixtures.Run.of("bench", "detect", "--series", series.toString(), "--models",
                asVariant("dense-fp32").toString(), asVariant("pruned-fp32").toString(),
                asVariant("pruned-int8").toString(), "--batch", "1,2", "--threads", "1", "--runs", "2", "--warmup", "0",
                "--in-process");

        assertEquals(0, run.exit(), run.err());
        String out = run.out();
        assertTrue(out.startsWith("bench detect: synthetic, not for clinical use; series " + series), out);
        Pattern row = Pattern.compile("(?m)^(dense-fp32|pruned-fp32|pruned-int8) +CPU +[12] +1 +\\d+ +\\d+ \\|"
                + "( +[0-9.]+/[0-9.]+){6} \\| \\d+ MB$");
        assertEquals(6, row.matcher(out).results().count(), out);
        for (String batch : new String[] {"1", "2"}) {
            assertTrue(out.contains("INT8 vs FP32 (pruned-int8 vs pruned-fp32, batch " + batch + ", 1 thread): infer"), out);
            assertTrue(out.contains("pruned vs dense (pruned-fp32 vs dense-fp32, batch " + batch + ", 1 thread): infer"),
                    out);
        }
        assertTrue(out.contains("pruned-int8: best p50 total "), out);
        assertTrue(Pattern.compile("largest peak RSS \\d+ MB \\(.*\\): (within|OVER) the 1024 MB target").matcher(out)
                .find(), out);
    }

    @Test
    void benchDetect_childPerConfiguration_reportsThatChildsPeakRss() {
        Fixtures.Run run = Fixtures.Run.of("bench", "detect", "--series", series.toString(), "--models",
                tiny.toString(), "--batch", "4", "--threads", "1", "--runs", "1", "--warmup", "0",
                "--jvm-option=-Xmx256m");

        assertEquals(0, run.exit(), run.err() + run.out());
        assertTrue(run.out().contains("one child JVM per configuration (-Xmx256m)"), run.out());
        assertTrue(Pattern.compile("(?m)^hand-set-fp32 +CPU +4 +1 .* \\| \\d+ MB$").matcher(run.out()).find(), run.out());
    }

    @Test
    void benchReceive_printsOurReceiverBesideStorescp_afterBothStoredEveryImage() {
        Assumptions.assumeTrue(Stream.of("storescu", "storescp").allMatch(ExecutablePath::has),
                "dcmtk is not installed; skipping");
        Fixtures.Run run = Fixtures.Run.of("bench", "receive", "--series", series.toString(), "--runs", "1");

        assertEquals(0, run.exit(), run.err() + run.out());
        assertTrue(Pattern.compile("(?m)^noduled StoreScp \\(fsync per image\\) +[0-9.]+ +[0-9.]+ +\\d+$")
                .matcher(run.out()).find(), run.out());
        assertTrue(Pattern.compile("(?m)^dcmtk storescp \\(no fsync\\) +[0-9.]+ +[0-9.]+ +\\d+$")
                .matcher(run.out()).find(), run.out());
    }

    @Test
    void benchDetect_unknownBatchSize_exitsTwo() {
        Fixtures.Run run = Fixtures.Run.of("bench", "detect", "--series", series.toString(), "--models",
                tiny.toString(), "--batch", "3");
        assertEquals(Main.EXIT_FAILURE, run.exit());
        assertTrue(run.err().contains("--batch: 3 is not 1, 2, 4 or 8"), run.err());
    }

    @Test
    void benchAccuracy_seedsTheModelWasTrainedOn_areRefused() throws IOException {
        Path card = asVariant("pruned-int8");
        Files.writeString(card.resolveSibling("pruned-int8.card.md"), "... 300 training series, 20 validation series "
                + "and 100 test series with disjoint seeds (train 100000..100299, val 500000..500019, test "
                + "900000..900099); not for clinical use.");

        Fixtures.Run run = Fixtures.Run.of("bench", "accuracy", "--model", card.toString(), "--first-seed", "100290",
                "--series-count", "20");

        assertEquals(Main.EXIT_FAILURE, run.exit());
        assertTrue(run.err().contains("seeds 100290..100309 overlap the model's train 100000..100299 seeds"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void cardFigures_validationSeedsCountAsFitted_testSeedsDoNot() throws IOException {
        Path card = asVariant("pruned-fp32");
        Files.writeString(card.resolveSibling("pruned-fp32.card.md"),
                "seeds (train 100000..100299, val 500000..500019, test 900000..900099)");
        CardFigures figures = CardFigures.read(card);
        assertEquals("val 500000..500019", figures.overlappingTrainingSplit(500019, 5));
        assertEquals(null, figures.overlappingTrainingSplit(900000, 20));
        assertEquals(null, figures.overlappingTrainingSplit(BenchAccuracyCommand.DEFAULT_FIRST_SEED, 20));
    }
}
