import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Per-slab CPU latency of an ONNX slab model through ONNX Runtime Java (the runtime's library), so the card's
 * figures can be checked on the 2-core target machine. A command, not a test:
 * java -cp onnxruntime-1.29.0.jar SlabBench.java MODEL.onnx DEPTH H W THREADS SECONDS BATCH...
 */
public class SlabBench {
    public static void main(String[] args) throws Exception {
        String model = args[0];
        int depth = Integer.parseInt(args[1]), h = Integer.parseInt(args[2]), w = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        double seconds = Double.parseDouble(args[5]);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(threads);
        so.setInterOpNumThreads(1);
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (System.getenv("ORT_PROFILE") != null) {
            so.enableProfiling(System.getenv("ORT_PROFILE"));  // a JSON trace of every node run
        }
        try (OrtSession session = env.createSession(model, so)) {
            Random rnd = new Random(1);
            for (int a = 6; a < args.length; a++) {
                int n = Integer.parseInt(args[a]);
                float[] data = new float[n * depth * h * w];
                for (int i = 0; i < data.length; i++) {
                    data[i] = rnd.nextFloat();  // random 0..1 slabs, never zeros
                }
                try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {n, depth, h, w})) {
                    for (int i = 0; i < 3; i++) {
                        session.run(Map.of("slab", x)).close();
                    }
                    List<Double> perSlab = new ArrayList<>();
                    long end = System.nanoTime() + (long) (seconds * 1e9);
                    while (System.nanoTime() < end || perSlab.size() < 5) {
                        long t0 = System.nanoTime();
                        session.run(Map.of("slab", x)).close();
                        perSlab.add((System.nanoTime() - t0) / 1e6 / n);
                    }
                    Collections.sort(perSlab);
                    System.out.printf("%s batch %d threads %d: p50 %.3f ms/slab, p90 %.3f (%d runs)%n", model, n, threads,
                            perSlab.get(perSlab.size() / 2), perSlab.get((int) (0.9 * (perSlab.size() - 1))), perSlab.size());
                }
            }
        }
    }
}
