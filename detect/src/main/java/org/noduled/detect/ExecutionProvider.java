package org.noduled.detect;

import ai.onnxruntime.OrtProvider;
import java.util.List;
import java.util.Locale;

/**
 * Where ONNX Runtime runs the model. A request falls back in the order tensorrt, cuda, cpu; the CPU
 * provider is in every build and always last.
 */
public enum ExecutionProvider {
    TENSORRT("tensorrt", "TensorRT", OrtProvider.TENSOR_RT),
    CUDA("cuda", "CUDA", OrtProvider.CUDA),
    CPU("cpu", "CPU", OrtProvider.CPU);

    private final String configName;
    private final String label;
    private final OrtProvider ortProvider;

    ExecutionProvider(String configName, String label, OrtProvider ortProvider) {
        this.configName = configName;
        this.label = label;
        this.ortProvider = ortProvider;
    }

    /** The name used in configuration files and on the command line. */
    public String configName() {
        return configName;
    }

    /** The name people know it by, for logs. */
    public String label() {
        return label;
    }

    OrtProvider ortProvider() {
        return ortProvider;
    }

    /** This provider and the ones after it in the fallback order. */
    List<ExecutionProvider> fallbackChain() {
        List<ExecutionProvider> all = List.of(values());
        return all.subList(ordinal(), all.size());
    }

    /** Parses a configuration value: tensorrt, cuda or cpu (any case). */
    public static ExecutionProvider fromConfig(String name) {
        for (ExecutionProvider p : values()) {
            if (p.configName.equals(name == null ? null : name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown execution provider \"" + name + "\"; use tensorrt, cuda or cpu");
    }
}
