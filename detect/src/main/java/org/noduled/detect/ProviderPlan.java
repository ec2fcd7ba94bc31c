package org.noduled.detect;

import ai.onnxruntime.OrtProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which execution providers a session gets, decided against what the installed ONNX Runtime offers.
 *
 * @param requested the provider asked for
 * @param appended  providers to register, in priority order; CPU is never listed (ONNX Runtime always
 *                  has it last)
 * @param effective the provider that will run the model (the first usable one)
 */
record ProviderPlan(ExecutionProvider requested, List<ExecutionProvider> appended, ExecutionProvider effective) {

    ProviderPlan {
        appended = List.copyOf(appended);
    }

    /**
     * Keeps the usable part of the requested provider's fallback chain. A requested provider missing
     * from the build gives one warning naming it, or, when {@code strict}, a {@link ModelException}.
     */
    static ProviderPlan resolve(ExecutionProvider requested, boolean strict, Set<OrtProvider> available,
            Consumer<String> warn) {
        List<ExecutionProvider> usable = new ArrayList<>();
        for (ExecutionProvider p : requested.fallbackChain()) {
            if (p == ExecutionProvider.CPU || available.contains(p.ortProvider())) {
                usable.add(p);
            }
        }
        if (usable.get(0) != requested) {
            String missing = requested.label() + " execution provider requested, but the installed ONNX Runtime "
                    + "does not have it (it has " + available + ")";
            if (strict) {
                throw new ModelException(missing + "; refusing to start because strict is set: install an ONNX "
                        + "Runtime build with " + requested.label() + " (onnxruntime_gpu jar on x86_64 with CUDA 12, "
                        + "or a TensorRT-enabled native library via -Donnxruntime.native.path on Jetson) "
                        + "or configure provider cpu");
            }
            warn.accept(missing + "; falling back to " + usable.get(0).label());
        }
        List<ExecutionProvider> appended = new ArrayList<>(usable);
        appended.remove(ExecutionProvider.CPU);
        return new ProviderPlan(requested, appended, usable.get(0));
    }
}
