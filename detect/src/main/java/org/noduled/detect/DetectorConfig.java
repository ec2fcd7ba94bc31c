package org.noduled.detect;

import java.util.Objects;
import java.util.Set;

/**
 * How a {@link Detector} runs its model.
 *
 * @param provider       the execution provider asked for; missing ones fall back tensorrt, cuda, cpu
 * @param strict         refuse to start, instead of falling back, when {@code provider} is not installed
 * @param deviceId       GPU index for the CUDA and TensorRT providers
 * @param intraOpThreads threads ONNX Runtime uses inside one run; preprocessing shares slices out among as many
 *                       (the two stages take turns, so one count suits both)
 * @param batchSize      slabs per run: 1, 2, 4 or 8
 * @param tensorRt       TensorRT settings, used only when TensorRT runs
 */
public record DetectorConfig(ExecutionProvider provider, boolean strict, int deviceId, int intraOpThreads,
        int batchSize, TensorRtSettings tensorRt) {

    public static final Set<Integer> BATCH_SIZES = Set.of(1, 2, 4, 8);

    public DetectorConfig {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(tensorRt, "tensorRt");
        if (deviceId < 0) {
            throw new IllegalArgumentException("device id must be 0 or more, got " + deviceId);
        }
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intra-op threads must be at least 1, got " + intraOpThreads);
        }
        if (!BATCH_SIZES.contains(batchSize)) {
            throw new IllegalArgumentException("batch size must be 1, 2, 4 or 8, got " + batchSize);
        }
    }

    /** CPU, not strict, 2 threads, batch 4, TensorRT defaults (unused on CPU). */
    public static DetectorConfig defaults() {
        return new DetectorConfig(ExecutionProvider.CPU, false, 0, 2, 4, TensorRtSettings.defaults());
    }

    public DetectorConfig withProvider(ExecutionProvider p, boolean strictly) {
        return new DetectorConfig(p, strictly, deviceId, intraOpThreads, batchSize, tensorRt);
    }

    public DetectorConfig withThreads(int threads) {
        return new DetectorConfig(provider, strict, deviceId, threads, batchSize, tensorRt);
    }

    public DetectorConfig withBatchSize(int size) {
        return new DetectorConfig(provider, strict, deviceId, intraOpThreads, size, tensorRt);
    }

    public DetectorConfig withTensorRt(TensorRtSettings settings) {
        return new DetectorConfig(provider, strict, deviceId, intraOpThreads, batchSize, settings);
    }
}
