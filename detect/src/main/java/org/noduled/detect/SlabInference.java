package org.noduled.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import org.noduled.preprocess.PreparedVolume;
import org.noduled.preprocess.ShortUid;
import org.noduled.preprocess.SlabPlan;

/**
 * The hot loop: fills a batch of slabs into one direct input buffer and runs them, ONNX Runtime writing
 * straight into output buffers we own (pinned outputs). All three buffers are allocated once and reused
 * batch after batch and series after series (the output buffers grow to the largest series seen); per
 * batch only three small tensor headers are made, never slab-sized memory.
 */
final class SlabInference {

    private final ModelSession model;
    private final ModelCard card;
    private final int batchSize;
    private final FloatBuffer input;
    private FloatBuffer heatmaps = direct(0);
    private FloatBuffer regressions = direct(0);

    SlabInference(ModelSession model, ModelCard card, int batchSize) {
        this.model = model;
        this.card = card;
        this.batchSize = batchSize;
        ModelCard.Input in = card.input();
        this.input = direct(batchSize * in.depth() * in.tileRows() * in.tileColumns());
    }

    /**
     * Runs one zero slab of the card's tile size, letting ONNX Runtime allocate the outputs, and checks
     * their shapes against the card's output stride: a wrong stride fails at start-up, not on a series.
     */
    void warmUp() {
        ModelCard.Input in = card.input();
        ModelCard.Output out = card.output();
        long[] shape = {1, in.depth(), in.tileRows(), in.tileColumns()};
        FloatBuffer slab = input.slice(0, in.depth() * in.tileRows() * in.tileColumns());
        for (int i = 0; i < slab.capacity(); i++) {
            slab.put(i, 0f);
        }
        try (OnnxTensor tensor = OnnxTensor.createTensor(model.env(), slab, shape);
                OrtSession.Result result = model.session().run(Map.of(in.tensor(), tensor))) {
            long rows = in.tileRows() / out.stride();
            long columns = in.tileColumns() / out.stride();
            checkShape(result, out.heatmap(), new long[] {1, 1, rows, columns}, shape);
            checkShape(result, out.regression(), new long[] {1, out.regressionChannels().size(), rows, columns}, shape);
        } catch (OrtException e) {
            throw new ModelException("model file " + card.modelFile() + " failed on a " + Arrays.toString(shape)
                    + " zero slab at start-up (" + e.getMessage() + "); check the card's input contract", e);
        }
    }

    private void checkShape(OrtSession.Result result, String name, long[] expected, long[] inputShape)
            throws OrtException {
        OnnxValue value = result.get(name).orElseThrow();
        long[] actual = ((OnnxTensor) value).getInfo().getShape();
        if (!Arrays.equals(actual, expected)) {
            throw new ModelException("model file " + card.modelFile() + " answered a " + Arrays.toString(inputShape)
                    + " slab with " + name + " " + Arrays.toString(actual) + ", but its card (output stride "
                    + card.output().stride() + ") means " + Arrays.toString(expected)
                    + "; ship the card that was written with this model");
        }
    }

    /** Runs every slab window of a prepared series; the result stays valid until the next call. */
    SlabOutputs run(PreparedVolume prepared) {
        SlabPlan plan = prepared.plan();
        int stride = card.output().stride();
        int rows = plan.tileRows() / stride;
        int columns = plan.tileColumns() / stride;
        int channels = card.output().regressionChannels().size();
        int windows = plan.windows().size();
        int cells = rows * columns;
        ensureOutputCapacity(windows * cells, windows * cells * channels);
        int slabFloats = plan.floatsPerSlab();
        try {
            for (int first = 0; first < windows; first += batchSize) {
                int count = Math.min(batchSize, windows - first);
                for (int s = 0; s < count; s++) {
                    prepared.resampled().copySlab(plan, plan.windows().get(first + s), input, s * slabFloats);
                }
                try (OnnxTensor in = OnnxTensor.createTensor(model.env(), input.slice(0, count * slabFloats),
                                new long[] {count, plan.depth(), plan.tileRows(), plan.tileColumns()});
                        OnnxTensor heat = OnnxTensor.createTensor(model.env(),
                                heatmaps.slice(first * cells, count * cells), new long[] {count, 1, rows, columns});
                        OnnxTensor reg = OnnxTensor.createTensor(model.env(),
                                regressions.slice(first * cells * channels, count * cells * channels),
                                new long[] {count, channels, rows, columns})) {
                    // Pinned outputs: ONNX Runtime writes into heat and reg, that is into our buffers; the
                    // result does not own them, so closing it frees nothing of ours.
                    model.session().run(Map.of(card.input().tensor(), in),
                            Map.of(card.output().heatmap(), heat, card.output().regression(), reg)).close();
                }
            }
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime failed on series "
                    + ShortUid.of(prepared.source().seriesInstanceUid()) + " (" + e.getMessage() + "); the model passed its start-up checks, so report this with the "
                    + "series to the model's author", e);
        }
        return new SlabOutputs(heatmaps.slice(0, windows * cells), regressions.slice(0, windows * cells * channels),
                windows, rows, columns, channels);
    }

    private void ensureOutputCapacity(int heatmapFloats, int regressionFloats) {
        if (heatmaps.capacity() < heatmapFloats) {
            heatmaps = direct(heatmapFloats);
        }
        if (regressions.capacity() < regressionFloats) {
            regressions = direct(regressionFloats);
        }
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
