package org.noduled.detect;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model that is missing, corrupt, swapped or disagrees with its card stops {@link Detector#open}. */
class ModelLoadingTest {

    @TempDir
    Path dir;

    private String openFails(Path card) {
        return assertThrows(ModelException.class, () -> Detector.open(card, DetectorConfig.defaults())).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void open_tinyModel_succeeds() {
        try (Detector d = Detector.open(TestModels.tiny(dir), DetectorConfig.defaults())) {
            assertTrue(d.executionProvider() == ExecutionProvider.CPU);
        }
    }

    @Test
    void open_fileDiffersFromTheCardsSha256_namesBothHashes() throws IOException {
        Path card = TestModels.tiny(dir);
        byte[] model = Files.readAllBytes(dir.resolve(TestModels.ONNX));
        model[model.length - 1] ^= 1;
        Files.write(dir.resolve(TestModels.ONNX), model);
        String message = openFails(card);
        assertContains(message, "has SHA-256 " + ModelSession.sha256(model), "expects "
                + ModelCard.read(card).sha256(), "corrupt or not the one the card describes");
    }

    @Test
    void open_modelFileMissing_namesTheFileAndTheCard() throws IOException {
        Path card = TestModels.tiny(dir);
        Files.delete(dir.resolve(TestModels.ONNX));
        assertContains(openFails(card), dir.resolve(TestModels.ONNX).toString(), "does not exist", card.toString());
    }

    @Test
    void open_corruptFileWhoseShaTheCardRepeats_saysOnnxRuntimeCannotLoadIt() throws IOException {
        byte[] garbage = "not an onnx model".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("garbage.onnx"), garbage);
        Path card = TestModels.tiny(dir, c -> {
            c.put("file", "garbage.onnx");
            c.put("sha256", ModelSession.sha256(garbage));
        });
        assertContains(openFails(card), "could not be loaded by ONNX Runtime", "garbage.onnx");
    }

    @Test
    void open_cardNamesAnotherInputTensor_saysWhatWasExpectedAndFound() {
        Path card = TestModels.tiny(dir, c -> TestModels.section(c, "input").put("tensor", "image"));
        assertContains(openFails(card), "does not match its card", "expected exactly one input \"image\", found [slab]");
    }

    @Test
    void open_cardDepthDiffersFromTheModelsChannels_saysBoth() {
        Path card = TestModels.tiny(dir, c -> TestModels.section(c, "input").put("depth", 3));
        assertContains(openFails(card), "input \"slab\" has C = 5, the card says 3");
    }

    @Test
    void open_cardListsMoreRegressionChannelsThanTheModelHas_saysBoth() {
        Path card = TestModels.tiny(dir, c -> TestModels.section(c, "output").putArray("regressionChannels")
                .add("dx").add("dy").add("dz").add("diameterMm").add("extra"));
        assertContains(openFails(card), "output \"regression\" has C = 4, the card says 5");
    }

    @Test
    void open_cardOutputNameUnknown_listsTheModelsOutputs() {
        Path card = TestModels.tiny(dir, c -> TestModels.section(c, "output").put("heatmap", "centres"));
        assertContains(openFails(card), "expected an output \"centres\", found [heatmap, regression]");
    }

    @Test
    void open_cardOutputStrideWrong_failsAtStartUpWithTheShapes() {
        Path card = TestModels.tiny(dir, c -> TestModels.section(c, "output").put("stride", 4));
        assertContains(openFails(card), "answered a [1, 5, 64, 64] slab with heatmap [1, 1, 32, 32]",
                "output stride 4", "[1, 1, 16, 16]");
    }
}
