package org.noduled.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every model shipped in models/ loads with ONNX Runtime Java, is the file its card names (SHA-256, input and
 * output names and shapes), and answers one slab with maps of the card's shape: a nodule-like blob scores
 * higher than empty lung.
 */
class ShippedModelsTest {

    private static final Path MODELS = Path.of("..", "models");

    @ParameterizedTest
    @ValueSource(strings = {"dense-fp32", "pruned-fp32", "pruned-int8"})
    void shippedModel_matchesItsCardAndRunsOneSlab(String variant) throws Exception {
        Path cardPath = MODELS.resolve("noduled-lung-2p5d-" + variant + ".card.json");
        assertTrue(Files.isRegularFile(cardPath), "shipped card missing: " + cardPath.toAbsolutePath());
        ModelCard card = ModelCard.read(cardPath);
        assertEquals(variant, card.variant());
        assertTrue(card.intendedUse().contains("not for clinical use"), card.intendedUse());

        List<String> warnings = new ArrayList<>();
        try (ModelSession model = ModelSession.open(card, DetectorConfig.defaults(),
                OrtEnvironment.getAvailableProviders(), warnings::add)) {
            assertEquals(List.of(), warnings);
            float[][] maps = runOneSlab(model, card);
            float[] heatmap = maps[0];
            int cellsPerSide = card.input().tileRows() / card.output().stride();
            int center = (cellsPerSide / 2) * cellsPerSide + cellsPerSide / 2;
            int corner = (cellsPerSide / 8) * cellsPerSide + cellsPerSide / 8;
            for (float score : heatmap) {
                assertTrue(score >= 0 && score <= 1, "heatmap is a sigmoid output, got " + score);
            }
            assertTrue(heatmap[center] > heatmap[corner] + 0.1,
                    "a 10 mm solid blob should outscore empty lung: " + heatmap[center] + " vs " + heatmap[corner]);
        }
    }

    /** One slab of lung (-850 HU) with a 10 mm solid sphere (+40 HU) at its centre; returns heatmap, regression. */
    private static float[][] runOneSlab(ModelSession model, ModelCard card) throws Exception {
        ModelCard.Input in = card.input();
        int depth = in.depth();
        int rows = in.tileRows();
        int cols = in.tileColumns();
        float[] slab = new float[depth * rows * cols];
        double radiusMm = 5;
        for (int d = 0; d < depth; d++) {
            double zMm = (d - depth / 2) * in.sliceSpacingMm();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    double yMm = (r - rows / 2 + 0.5) * in.pixelSpacingMm();
                    double xMm = (c - cols / 2 + 0.5) * in.pixelSpacingMm();
                    double hu = xMm * xMm + yMm * yMm + zMm * zMm <= radiusMm * radiusMm ? 40 : -850;
                    slab[(d * rows + r) * cols + c] = (float) ((hu - in.huLow()) / (in.huHigh() - in.huLow()));
                }
            }
        }
        OrtEnvironment env = model.env();
        long[] shape = {1, depth, rows, cols};
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(slab), shape);
                OrtSession.Result result = model.session().run(Map.of(in.tensor(), input))) {
            int stride = card.output().stride();
            OnnxTensor heatmap = (OnnxTensor) result.get(card.output().heatmap()).orElseThrow();
            OnnxTensor regression = (OnnxTensor) result.get(card.output().regression()).orElseThrow();
            assertArrayEquals(new long[] {1, 1, rows / stride, cols / stride}, heatmap.getInfo().getShape());
            assertArrayEquals(new long[] {1, card.output().regressionChannels().size(), rows / stride, cols / stride},
                    regression.getInfo().getShape());
            return new float[][] {heatmap.getFloatBuffer().array(), regression.getFloatBuffer().array()};
        }
    }
}
