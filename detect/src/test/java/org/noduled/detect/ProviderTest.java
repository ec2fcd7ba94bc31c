package org.noduled.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderTest {

    @TempDir
    Path dir;

    private static final ModelCard.Input INPUT = new ModelCard.Input("slab", 5, 1.25, 2.0, 16, 256, 256, -1000, 400);

    @Test
    void tensorRt_fullSettings_exactOnnxRuntimeKeysAndValues() {
        TensorRtSettings s = new TensorRtSettings(true, true, Path.of("/var/cache/noduled/trt-engines"),
                Path.of("/var/cache/noduled/trt-timing"), 1L << 30);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("device_id", "1");
        expected.put("trt_int8_enable", "1");
        expected.put("trt_fp16_enable", "1");
        expected.put("trt_max_workspace_size", "1073741824");
        expected.put("trt_engine_cache_enable", "1");
        expected.put("trt_engine_cache_path", "/var/cache/noduled/trt-engines");
        expected.put("trt_timing_cache_enable", "1");
        expected.put("trt_timing_cache_path", "/var/cache/noduled/trt-timing");
        expected.put("trt_profile_min_shapes", "slab:1x5x16x16");
        expected.put("trt_profile_opt_shapes", "slab:4x5x256x256");
        expected.put("trt_profile_max_shapes", "slab:4x5x256x256");
        Map<String, String> actual = ProviderOptions.tensorRt(s, 1, INPUT, 4);
        assertEquals(expected, actual);
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), "order");
    }

    @Test
    void tensorRt_noCachesFp32_omitsCacheKeysAndTurnsPrecisionsOff() {
        Map<String, String> o = ProviderOptions.tensorRt(new TensorRtSettings(false, false, null, null, 123), 0,
                INPUT, 8);
        assertEquals("0", o.get("trt_int8_enable"));
        assertEquals("0", o.get("trt_fp16_enable"));
        assertEquals("123", o.get("trt_max_workspace_size"));
        assertEquals("slab:8x5x256x256", o.get("trt_profile_max_shapes"));
        assertTrue(o.keySet().stream().noneMatch(k -> k.contains("cache")), o.toString());
    }

    @Test
    void cuda_deviceIdOnly() {
        assertEquals(Map.of("device_id", "2"), ProviderOptions.cuda(2));
    }

    @Test
    void resolve_tensorRtMissingCudaPresent_fallsBackToCudaWithOneWarning() {
        List<String> warnings = new ArrayList<>();
        ProviderPlan plan = ProviderPlan.resolve(ExecutionProvider.TENSORRT, false,
                EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA), warnings::add);
        assertEquals(ExecutionProvider.CUDA, plan.effective());
        assertEquals(List.of(ExecutionProvider.CUDA), plan.appended());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("TensorRT execution provider requested, but the installed ONNX "
                + "Runtime does not have it"), warnings.get(0));
        assertTrue(warnings.get(0).endsWith("falling back to CUDA"), warnings.get(0));
    }

    @Test
    void resolve_tensorRtOnCpuOnlyBuild_fallsBackToCpuWithOneWarning() {
        List<String> warnings = new ArrayList<>();
        ProviderPlan plan = ProviderPlan.resolve(ExecutionProvider.TENSORRT, false, EnumSet.of(OrtProvider.CPU),
                warnings::add);
        assertEquals(ExecutionProvider.CPU, plan.effective());
        assertEquals(List.of(), plan.appended());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("falling back to CPU"), warnings.get(0));
    }

    @Test
    void resolve_everythingInstalled_registersTensorRtThenCudaWithoutWarning() {
        List<String> warnings = new ArrayList<>();
        ProviderPlan plan = ProviderPlan.resolve(ExecutionProvider.TENSORRT, true,
                EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA, OrtProvider.TENSOR_RT), warnings::add);
        assertEquals(List.of(ExecutionProvider.TENSORRT, ExecutionProvider.CUDA), plan.appended());
        assertEquals(ExecutionProvider.TENSORRT, plan.effective());
        assertEquals(List.of(), warnings);
    }

    @Test
    void resolve_strictAndMissing_refusesNamingTheProviderAndTheWayOut() {
        List<String> warnings = new ArrayList<>();
        ModelException e = assertThrows(ModelException.class, () -> ProviderPlan.resolve(ExecutionProvider.CUDA, true,
                EnumSet.of(OrtProvider.CPU), warnings::add));
        assertTrue(e.getMessage().startsWith("CUDA execution provider requested"), e.getMessage());
        assertTrue(e.getMessage().contains("strict") && e.getMessage().contains("onnxruntime_gpu"), e.getMessage());
        assertEquals(List.of(), warnings, "strict refuses instead of warning");
    }

    @Test
    void resolve_cpu_noWarning() {
        List<String> warnings = new ArrayList<>();
        ProviderPlan plan = ProviderPlan.resolve(ExecutionProvider.CPU, true, EnumSet.of(OrtProvider.CPU),
                warnings::add);
        assertEquals(ExecutionProvider.CPU, plan.effective());
        assertEquals(List.of(), warnings);
    }

    @Test
    void open_tensorRtOnThisCpuOnlyBuild_runsOnCpu() {
        // The Maven Central jar this build uses is CPU-only: that is the fallback path operators meet first.
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.TENSOR_RT), "a TensorRT build");
        DetectorConfig config = DetectorConfig.defaults().withProvider(ExecutionProvider.TENSORRT, false);
        try (Detector d = Detector.open(TestModels.tiny(dir), config)) {
            assertEquals(ExecutionProvider.CPU, d.executionProvider());
        }
    }

    @Test
    void open_strictTensorRtOnThisCpuOnlyBuild_refusesToStart() {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.TENSOR_RT), "a TensorRT build");
        DetectorConfig config = DetectorConfig.defaults().withProvider(ExecutionProvider.TENSORRT, true);
        ModelException e = assertThrows(ModelException.class, () -> Detector.open(TestModels.tiny(dir), config));
        assertTrue(e.getMessage().contains("TensorRT") && e.getMessage().contains("refusing to start"), e.getMessage());
    }

    @Test
    void fromConfig_namesInAnyCase_andUnknownListsTheChoices() {
        assertEquals(ExecutionProvider.TENSORRT, ExecutionProvider.fromConfig("TensorRT"));
        assertEquals(ExecutionProvider.CPU, ExecutionProvider.fromConfig(" cpu "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecutionProvider.fromConfig("rocm"));
        assertTrue(e.getMessage().contains("tensorrt, cuda or cpu"), e.getMessage());
    }

    @Test
    void config_batchSizeOtherThanOneTwoFourEight_rejected() {
        assertThrows(IllegalArgumentException.class, () -> DetectorConfig.defaults().withBatchSize(3));
    }
}
