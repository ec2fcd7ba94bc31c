import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How far two slab models' outputs lie apart on the same slabs, through ONNX Runtime Java (the runtime's
 * library): for judging a graph edit (a changed INT8 scale, say) before the full evaluation measures its
 * accuracy. Slabs come from scripts/write_slabs.py. A command, not a test:
 * java -cp onnxruntime-1.29.0.jar OutputDiff.java A.onnx B.onnx SLABS.f32 N DEPTH H W
 * Prints, over all slabs: the heatmap's largest and mean absolute difference, the difference of each slab's
 * peak score, how often both put the peak in the same output cell, and the regression's differences at A's
 * peaks. Synthetic phantoms, not for clinical use.
 */
public class OutputDiff {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[3]), depth = Integer.parseInt(args[4]);
        int h = Integer.parseInt(args[5]), w = Integer.parseInt(args[6]);
        byte[] bytes = Files.readAllBytes(Path.of(args[2]));
        if (bytes.length != 4L * n * depth * h * w) {
            throw new IllegalArgumentException(args[2] + " is not " + n + "x" + depth + "x" + h + "x" + w + " float32");
        }
        FloatBuffer slabs = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][][] a = run(env, args[0], slabs, n, depth, h, w);
        float[][][] b = run(env, args[1], slabs, n, depth, h, w);
        int cells = a[0][0].length / n;
        double maxHm = 0, sumHm = 0, maxPeak = 0, sumPeak = 0, maxReg = 0;
        int samePeak = 0;
        for (int s = 0; s < n; s++) {
            int argA = 0, argB = 0;
            for (int c = 0; c < cells; c++) {
                int i = s * cells + c;
                double d = Math.abs(a[0][0][i] - b[0][0][i]);
                maxHm = Math.max(maxHm, d);
                sumHm += d;
                if (a[0][0][i] > a[0][0][s * cells + argA]) argA = c;
                if (b[0][0][i] > b[0][0][s * cells + argB]) argB = c;
            }
            double peak = Math.abs(a[0][0][s * cells + argA] - b[0][0][s * cells + argB]);
            maxPeak = Math.max(maxPeak, peak);
            sumPeak += peak;
            samePeak += argA == argB ? 1 : 0;
            for (int k = 0; k < 4; k++) {
                int i = (s * 4 + k) * cells + argA;
                maxReg = Math.max(maxReg, Math.abs(a[1][0][i] - b[1][0][i]));
            }
        }
        System.out.printf("%d slabs: heatmap |A-B| max %.4f mean %.5f; peak score |A-B| max %.4f mean %.4f; same peak cell "
                + "%d/%d; regression at A's peaks |A-B| max %.3f%n", n, maxHm, sumHm / ((double) n * cells), maxPeak,
                sumPeak / n, samePeak, n, maxReg);
    }

    /** [output][0][flat values] of the heatmap and regression outputs, one slab at a time. */
    static float[][][] run(OrtEnvironment env, String model, FloatBuffer slabs, int n, int depth, int h, int w)
            throws Exception {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(model, so)) {
                int size = depth * h * w;
                float[] hm = null, reg = null;
                for (int s = 0; s < n; s++) {
                    float[] one = new float[size];
                    slabs.get(s * size, one);
                    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(one), new long[] {1, depth, h, w});
                         OrtSession.Result r = session.run(Map.of("slab", x))) {
                        FloatBuffer fh = ((OnnxTensor) r.get("heatmap").get()).getFloatBuffer();
                        FloatBuffer fr = ((OnnxTensor) r.get("regression").get()).getFloatBuffer();
                        if (hm == null) {
                            hm = new float[n * fh.remaining()];
                            reg = new float[n * fr.remaining()];
                        }
                        int ch = fh.remaining(), cr = fr.remaining();
                        fh.get(hm, s * ch, ch);
                        fr.get(reg, s * cr, cr);
                    }
                }
                return new float[][][] {{hm}, {reg}};
            }
        }
    }
}
