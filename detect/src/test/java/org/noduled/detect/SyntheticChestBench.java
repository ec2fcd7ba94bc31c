package org.noduled.detect;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.Vec3;

/**
 * Runs {@link DetectBenchmark} on a synthetic chest until {@code noduled bench detect} is wired to real
 * phantoms. Not a test (a command; numbers depend on the machine):
 * {@code java -cp <test classpath> org.noduled.detect.SyntheticChestBench CARD [COLUMNS ROWS SLICES [RUNS]]}.
 */
public final class SyntheticChestBench {

    private SyntheticChestBench() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: SyntheticChestBench CARD.json [COLUMNS ROWS SLICES [RUNS [BATCHES [THREADS]]]]");
            System.exit(2);
        }
        int columns = args.length > 3 ? Integer.parseInt(args[1]) : 512;
        int rows = args.length > 3 ? Integer.parseInt(args[2]) : 512;
        int slices = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        List<Integer> batches = args.length > 5 ? ints(args[5]) : List.of(1, 2, 4, 8);
        List<Integer> threads = args.length > 6 ? ints(args[6]) : List.of(1, 2);
        // 0.7 mm pixels over 512 columns and 1 mm slices, as the phantom generator's default series.
        Vec3 spacing = new Vec3(358.4 / columns, 358.4 / rows, 300.0 / slices);
        long start = System.nanoTime();
        CtVolume volume = new SyntheticChest(columns, rows, slices, spacing)
                .nodule(new Vec3(65, -15, -50), 8).nodule(new Vec3(-60, 10, -120), 12).build();
        System.out.printf("built synthetic chest in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        DetectBenchmark.Report report = DetectBenchmark.run(Path.of(args[0]), DetectorConfig.defaults(), volume,
                new DetectBenchmark.Settings(2, runs, batches, threads));
        System.out.print(report.format());
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(Integer::parseInt).toList();
    }
}
