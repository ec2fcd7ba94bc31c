package org.noduled.detect;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place where our configuration becomes ONNX Runtime provider option keys and values (the
 * strings its TensorRT and CUDA providers parse), and where providers are registered on a session.
 */
final class ProviderOptions {

    private ProviderOptions() {
    }

    /**
     * TensorRT options. The optimisation profile spans the smallest tile the tiler can cut (one
     * inPlaneMultiple square, one slab) to a full batch of the card's tile, so crops of any size reuse one
     * engine instead of rebuilding.
     */
    static Map<String, String> tensorRt(TensorRtSettings s, int deviceId, ModelCard.Input input, int batchSize) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("device_id", Integer.toString(deviceId));
        o.put("trt_int8_enable", flag(s.int8()));
        o.put("trt_fp16_enable", flag(s.fp16Fallback()));
        o.put("trt_max_workspace_size", Long.toString(s.workspaceBytes()));
        putCache(o, "trt_engine_cache", s.engineCacheDir());
        putCache(o, "trt_timing_cache", s.timingCacheDir());
        String smallest = shape(input, 1, input.inPlaneMultiple(), input.inPlaneMultiple());
        String full = shape(input, batchSize, input.tileRows(), input.tileColumns());
        o.put("trt_profile_min_shapes", smallest);
        o.put("trt_profile_opt_shapes", full);
        o.put("trt_profile_max_shapes", full);
        return o;
    }

    static Map<String, String> cuda(int deviceId) {
        return Map.of("device_id", Integer.toString(deviceId));
    }

    /** Registers the plan's providers, highest priority first; CPU needs no registration. */
    static void register(ProviderPlan plan, OrtSession.SessionOptions options, DetectorConfig config,
            ModelCard.Input input) throws OrtException {
        for (ExecutionProvider p : plan.appended()) {
            switch (p) {
                case TENSORRT -> {
                    try (OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(config.deviceId())) {
                        for (Map.Entry<String, String> e
                                : tensorRt(config.tensorRt(), config.deviceId(), input, config.batchSize()).entrySet()) {
                            trt.add(e.getKey(), e.getValue());
                        }
                        options.addTensorrt(trt);
                    }
                }
                case CUDA -> {
                    try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(config.deviceId())) {
                        for (Map.Entry<String, String> e : cuda(config.deviceId()).entrySet()) {
                            cuda.add(e.getKey(), e.getValue());
                        }
                        options.addCUDA(cuda);
                    }
                }
                case CPU -> {
                    // Always present as ONNX Runtime's last resort.
                }
            }
        }
    }

    private static void putCache(Map<String, String> o, String prefix, Path dir) {
        if (dir != null) {
            o.put(prefix + "_enable", "1");
            o.put(prefix + "_path", dir.toAbsolutePath().toString());
        }
    }

    private static String shape(ModelCard.Input input, int n, int rows, int columns) {
        return input.tensor() + ":" + n + "x" + input.depth() + "x" + rows + "x" + columns;
    }

    private static String flag(boolean on) {
        return on ? "1" : "0";
    }
}
