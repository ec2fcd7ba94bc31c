package org.noduled.detect;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One ONNX Runtime session for one model file, opened only after the file proved to be the one its card
 * describes: same SHA-256 (the bytes hashed are the bytes loaded), the card's input and output names,
 * ranks and fixed dimensions. Owns the native session.
 */
final class ModelSession implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ProviderPlan providers;

    private ModelSession(OrtEnvironment env, OrtSession session, ProviderPlan providers) {
        this.env = env;
        this.session = session;
        this.providers = providers;
    }

    static ModelSession open(ModelCard card, DetectorConfig config, Set<OrtProvider> available, Consumer<String> warn) {
        byte[] model = verifiedBytes(card);
        ProviderPlan plan = ProviderPlan.resolve(config.provider(), config.strict(), available, warn);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(config.intraOpThreads());
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            ProviderOptions.register(plan, options, config, card.input());
            session = env.createSession(model, options);
        } catch (OrtException e) {
            throw new ModelException("model file " + card.modelFile() + " could not be loaded by ONNX Runtime ("
                    + e.getMessage() + "); the file matches its card's SHA-256, so the model itself is broken or "
                    + "needs a newer ONNX Runtime: ask its author", e);
        }
        try {
            List<String> mismatches = mismatches(card, session.getInputInfo(), session.getOutputInfo());
            if (!mismatches.isEmpty()) {
                throw new ModelException("model file " + card.modelFile() + " does not match its card "
                        + card.cardPath() + ": " + String.join("; ", mismatches)
                        + "; ship the card that was written with this model");
            }
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            throw e instanceof ModelException m ? m
                    : new ModelException("model file " + card.modelFile() + ": cannot read its inputs and outputs ("
                            + e.getMessage() + ")", e);
        }
        return new ModelSession(env, session, plan);
    }

    /** The file's bytes, after checking they hash to the card's SHA-256. */
    static byte[] verifiedBytes(ModelCard card) {
        Path file = card.modelFile();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelException("model file " + file + " named by card " + card.cardPath()
                    + " does not exist; copy the .onnx file beside its card");
        } catch (IOException e) {
            throw new ModelException("model file " + file + " cannot be read: " + e.getMessage(), e);
        }
        String actual = sha256(bytes);
        if (!actual.equals(card.sha256())) {
            throw new ModelException("model file " + file + " has SHA-256 " + actual + " but its card "
                    + card.cardPath() + " expects " + card.sha256() + ": the file is corrupt or not the one the "
                    + "card describes; copy the .onnx and .card.json together from one models/ release");
        }
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Every way the session's inputs and outputs disagree with the card; empty when they agree. */
    static List<String> mismatches(ModelCard card, Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs) {
        List<String> problems = new ArrayList<>();
        String slab = card.input().tensor();
        if (inputs.size() != 1 || !inputs.containsKey(slab)) {
            problems.add("expected exactly one input \"" + slab + "\", found " + inputs.keySet());
        } else {
            // [N, depth, H, W]: N, H, W dynamic (crops vary in size and slabs are batched).
            checkTensor(problems, "input", inputs.get(slab), new long[] {-1, card.input().depth(), -1, -1});
        }
        ModelCard.Output out = card.output();
        checkOutput(problems, outputs, out.heatmap(), 1);
        checkOutput(problems, outputs, out.regression(), out.regressionChannels().size());
        return problems;
    }

    private static void checkOutput(List<String> problems, Map<String, NodeInfo> outputs, String name, long channels) {
        if (!outputs.containsKey(name)) {
            problems.add("expected an output \"" + name + "\", found " + outputs.keySet());
        } else {
            checkTensor(problems, "output", outputs.get(name), new long[] {-1, channels, -1, -1});
        }
    }

    /**
     * Checks a float tensor of rank 4 against expected dimensions: -1 where the card requires a dynamic
     * dimension, else the exact size (a dynamic dimension in the model is accepted there too).
     */
    private static void checkTensor(List<String> problems, String role, NodeInfo node, long[] expected) {
        if (!(node.getInfo() instanceof TensorInfo info)) {
            problems.add(role + " \"" + node.getName() + "\" is not a tensor");
            return;
        }
        if (info.type != OnnxJavaType.FLOAT) {
            problems.add(role + " \"" + node.getName() + "\" is " + info.type + ", expected FLOAT");
        }
        long[] shape = info.getShape();
        if (shape.length != expected.length) {
            problems.add(role + " \"" + node.getName() + "\" has rank " + shape.length + " " + List.of(box(shape))
                    + ", expected rank 4 [N, C, H, W]");
            return;
        }
        String[] dims = {"N", "C", "H", "W"};
        for (int d = 0; d < shape.length; d++) {
            boolean dynamic = shape[d] < 0;
            if (expected[d] < 0 && !dynamic) {
                problems.add(role + " \"" + node.getName() + "\" has fixed " + dims[d] + " = " + shape[d]
                        + ", the card contract needs it dynamic");
            } else if (expected[d] >= 0 && !dynamic && shape[d] != expected[d]) {
                problems.add(role + " \"" + node.getName() + "\" has " + dims[d] + " = " + shape[d] + ", the card says "
                        + expected[d]);
            }
        }
    }

    private static Long[] box(long[] shape) {
        Long[] boxed = new Long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            boxed[i] = shape[i];
        }
        return boxed;
    }

    OrtEnvironment env() {
        return env;
    }

    OrtSession session() {
        return session;
    }

    ProviderPlan providers() {
        return providers;
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException e) {
            // Closing frees native memory; nothing a caller could do about a failure here.
        }
    }
}
