package org.noduled.detect;

import java.nio.file.Path;

/**
 * TensorRT execution provider settings (used only where the installed ONNX Runtime has TensorRT, as on
 * a Jetson). Mapped to ONNX Runtime's option keys in {@link ProviderOptions#tensorRt}.
 *
 * @param int8            build INT8 engines (the shipped model is QDQ-quantised, so no calibration table)
 * @param fp16Fallback    let layers without an INT8 kernel run in FP16 rather than FP32
 * @param engineCacheDir  where built engines are kept so restarts skip the build (minutes on a Jetson);
 *                        null: no cache
 * @param timingCacheDir  where layer timings are kept, which also speeds up building other models; null: none
 * @param workspaceBytes  the most GPU memory TensorRT may use while building and running
 */
public record TensorRtSettings(boolean int8, boolean fp16Fallback, Path engineCacheDir, Path timingCacheDir,
        long workspaceBytes) {

    /** 1 GiB: an Orin Nano shares 8 GB between CPU and GPU. */
    static final long DEFAULT_WORKSPACE_BYTES = 1L << 30;

    public TensorRtSettings {
        if (workspaceBytes <= 0) {
            throw new IllegalArgumentException("TensorRT workspace must be positive, got " + workspaceBytes + " bytes");
        }
    }

    /** INT8 with FP16 fallback, no caches, the default workspace. */
    public static TensorRtSettings defaults() {
        return new TensorRtSettings(true, true, null, null, DEFAULT_WORKSPACE_BYTES);
    }

    /** The same settings keeping engines and timings under {@code dir}. */
    public TensorRtSettings withCacheDir(Path dir) {
        return new TensorRtSettings(int8, fp16Fallback, dir, dir, workspaceBytes);
    }
}
