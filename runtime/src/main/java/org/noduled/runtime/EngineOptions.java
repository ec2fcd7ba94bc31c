package org.noduled.runtime;

import java.nio.file.Path;
import org.noduled.detect.DetectorConfig;
import org.noduled.detect.ExecutionProvider;
import org.noduled.detect.TensorRtSettings;
import picocli.CommandLine.Option;

/** The detector options every command that runs the model shares (a picocli mixin). */
final class EngineOptions {

    @Option(names = "--model", paramLabel = "CARD.json",
            description = "Model card (default: the shipped pruned INT8 model, models/" + ShippedModels.DEFAULT_CARD
                    + " of this installation, or of -D" + ShippedModels.PROPERTY + "=DIR).")
    Path model;

    @Option(names = "--provider", defaultValue = "cpu", paramLabel = "cpu|cuda|tensorrt",
            converter = ProviderOption.class,
            description = "Execution provider; a missing one falls back tensorrt -> cuda -> cpu with a warning "
                    + "(default: ${DEFAULT-VALUE}).")
    ExecutionProvider provider;

    @Option(names = "--strict", description = "Refuse to start, rather than fall back, when --provider is not installed.")
    boolean strict;

    @Option(names = "--trt-cache", paramLabel = "DIR",
            description = "TensorRT engine and timing cache folder (keep it: the first engine build takes minutes).")
    Path trtCache;

    /** The card to open: {@code --model} or the shipped default. */
    Path card() {
        return model != null ? model : ShippedModels.defaultCard();
    }

    DetectorConfig config(int threads, int batch) {
        TensorRtSettings trt = trtCache == null ? TensorRtSettings.defaults() : TensorRtSettings.defaults().withCacheDir(trtCache);
        return new DetectorConfig(provider, strict, 0, threads, batch, trt);
    }

    /** Parses tensorrt, cuda or cpu with the engine's own message for anything else. */
    static final class ProviderOption implements picocli.CommandLine.ITypeConverter<ExecutionProvider> {
        @Override
        public ExecutionProvider convert(String value) {
            try {
                return ExecutionProvider.fromConfig(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
