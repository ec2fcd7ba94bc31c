package org.noduled.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.preprocess.SlabSpec;

class ModelCardTest {

    @TempDir
    Path dir;

    @Test
    void read_tinyCard_everyValueComesFromTheCard() {
        ModelCard card = ModelCard.read(TestModels.tiny(dir));
        SlabSpec spec = card.slabSpec();
        assertEquals(2.0, spec.pixelSpacingMm());
        assertEquals(2.5, spec.sliceSpacingMm());
        assertEquals(5, spec.depth());
        assertEquals(2, spec.slabStride());
        assertEquals(64, spec.tileRows());
        assertEquals(16, spec.inPlaneMultiple());
        assertEquals(-1000.0, spec.window().lowHu());
        assertEquals(0.3, card.decode().scoreThreshold());
        assertEquals(3, card.output().channel("diameterMm"));
        assertEquals(dir.resolve(TestModels.ONNX).toAbsolutePath(), card.modelFile());
        assertEquals("noduled-test-tiny", card.identity().name());
    }

    @Test
    void read_cardMissingFields_namesEveryMissingField() {
        Path path = TestModels.tiny(dir, c -> {
            TestModels.section(c, "input").remove("depth");
            TestModels.section(c, "decode").remove("maxFindings");
            c.remove("sha256");
        });
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(path));
        assertTrue(e.getMessage().contains("missing sha256, input.depth, decode.maxFindings"), e.getMessage());
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
    }

    @Test
    void read_cardWithInvalidValues_namesEachWithWhatWasFound() {
        Path path = TestModels.tiny(dir, c -> {
            c.put("format", "noduled-model-card/2");
            TestModels.section(c, "input").put("depth", 4);
            TestModels.section(c, "input").putArray("tile").add(64).add(60);
            TestModels.section(c, "output").putArray("regressionChannels").add("dx").add("dy").add("dz");
            TestModels.section(c, "decode").put("scoreThreshold", 1.5);
        });
        String message = assertThrows(ModelException.class, () -> ModelCard.read(path)).getMessage();
        for (String expected : List.of("format is \"noduled-model-card/2\"", "input.depth must be odd",
                "input.tile must be two positive integers, multiples of input.inPlaneMultiple (16), got [64.0, 60.0]",
                "lacks \"diameterMm\"", "decode.scoreThreshold must be a number in 0..1, got 1.5")) {
            assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
        }
    }

    @Test
    void read_notJson_saysWhereItBroke() throws IOException {
        Path path = dir.resolve("broken.card.json");
        Files.writeString(path, "{\n  \"name\": \"x\",\n  oops\n}");
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(path));
        assertTrue(e.getMessage().contains("is not valid JSON (line 3"), e.getMessage());
    }

    @Test
    void read_noCardFile_saysSo() {
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(dir.resolve("none.card.json")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
