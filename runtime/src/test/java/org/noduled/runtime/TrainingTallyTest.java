package org.noduled.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.detect.Finding;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.phantom.NoduleAttachment;
import org.noduled.preprocess.phantom.NoduleType;
import org.noduled.preprocess.phantom.PlantedNodule;

class TrainingTallyTest {

    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("paired.json"), json);
    }

    @Test
    void printPaired_sameSeedsAndScore_printsBothFiguresAndTheDifference() throws IOException {
        TrainingTally training = TrainingTally.read(write("{\"operatingPointScore\": 0.45, \"seeds\": [700000, 700019],"
                + " \"nodules4mm\": 40, \"found\": 30, \"fpPerScan\": 1.1}"));
        AccuracyTally java = new AccuracyTally(0.45, 4, 20, 40, 31, 20);
        StringWriter text = new StringWriter();
        BenchAccuracyCommand.printPaired(new PrintWriter(text, true), new AccuracyResult(java, FrocTally.empty(4)),
                training, 700000, 20);
        assertEquals("paired, same phantoms: training's evaluation 30/40 = 0.750, 1.10 FP/scan; Java 31/40 = 0.775,"
                + " 1.00 FP/scan: +2.5 points (goal: within 2 points)\n", text.toString().replace("\r", ""),
                "a file without frocAll4mmPlus: no CPM line");
    }

    @Test
    void printPaired_aFileWithItsCpm_printsBothCpms() throws IOException {
        TrainingTally training = TrainingTally.read(write("{\"operatingPointScore\": 0.5, \"seeds\": [700000, 700000],"
                + " \"nodules4mm\": 1, \"found\": 1, \"fpPerScan\": 1.0, \"frocAll4mmPlus\": {\"cpm\": 0.9}}"));
        FrocTally froc = FrocTally.empty(4).plus(
                List.of(new PlantedNodule(1, Vec3.ZERO, 10, NoduleType.SOLID, NoduleAttachment.ISOLATED, 40, 0, 0)),
                List.of(new Finding(Vec3.ZERO, Vec3.ZERO, 8, 0.6, "1.2.3")));
        StringWriter text = new StringWriter();
        BenchAccuracyCommand.printPaired(new PrintWriter(text, true),
                new AccuracyResult(new AccuracyTally(0.5, 4, 1, 1, 1, 0), froc), training, 700000, 1);
        assertTrue(text.toString().contains("paired CPM, same phantoms: training's evaluation 0.900, Java 1.000: "
                + "+10.0 points"), text.toString());
    }

    @Test
    void mismatch_otherSeedsOrScore_isNamed() throws IOException {
        TrainingTally training = TrainingTally.read(write("{\"operatingPointScore\": 0.45, \"seeds\": [900000, 900019],"
                + " \"nodules4mm\": 41, \"found\": 37, \"fpPerScan\": 0.95}"));
        assertNull(training.mismatch(900000, 20, 0.45));
        assertTrue(training.mismatch(700000, 20, 0.45).contains("900000..900019"), training.mismatch(700000, 20, 0.45));
        assertTrue(training.mismatch(900000, 20, 0.5).contains("score 0.45"), training.mismatch(900000, 20, 0.5));
    }

    @Test
    void read_notAPairedFile_saysWhatItIs() throws IOException {
        Path notPaired = write("{\"seeds\": [1, 2], \"found\": 3}");
        IOException e = assertThrows(IOException.class, () -> TrainingTally.read(notPaired));
        assertTrue(e.getMessage().contains("paired_accuracy.py"), e.getMessage());
    }
}
