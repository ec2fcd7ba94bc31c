package org.noduled.detect;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.phantom.Phantom;
import org.noduled.preprocess.phantom.PhantomSpec;

/**
 * Runs {@link DetectBenchmark} on a phantom (synthetic, not for clinical use) until {@code noduled bench
 * detect} is wired. Not a test (a command; numbers depend on the machine):
 * {@code java -cp <test classpath> org.noduled.detect.PhantomDetectBench CARD [COLUMNS ROWS SLICES [RUNS]]}.
 */
public final class PhantomDetectBench {

    private PhantomDetectBench() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: PhantomDetectBench CARD.json [COLUMNS ROWS SLICES [RUNS [BATCHES [THREADS]]]]");
            System.exit(2);
        }
        int columns = args.length > 3 ? Integer.parseInt(args[1]) : 512;
        int rows = args.length > 3 ? Integer.parseInt(args[2]) : 512;
        int slices = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        List<Integer> batches = args.length > 5 ? ints(args[5]) : List.of(1, 2, 4, 8);
        List<Integer> threads = args.length > 6 ? ints(args[6]) : List.of(1, 2);
        // The default series' field of view (512 x 0.7 mm) and length (300 x 1 mm) on whatever grid is asked.
        PhantomSpec series = PhantomSpec.defaults(1);
        double pixelSpacingMm = series.columns() * series.pixelSpacingMm() / columns;
        double sliceSpacingMm = series.slices() * series.sliceSpacingMm() / slices;
        long start = System.nanoTime();
        CtVolume volume = Phantom.plan(series.withGrid(columns, rows, slices, pixelSpacingMm, sliceSpacingMm))
                .render(Runtime.getRuntime().availableProcessors()).volume();
        System.out.printf("rendered phantom seed 1 in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        DetectBenchmark.Report report = DetectBenchmark.run(Path.of(args[0]), DetectorConfig.defaults(), volume,
                new DetectBenchmark.Settings(2, runs, batches, threads));
        System.out.print(report.format());
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(Integer::parseInt).toList();
    }
}
