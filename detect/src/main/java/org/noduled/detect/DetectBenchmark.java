package org.noduled.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.VolumeGeometry;

/**
 * Repeated detections of one volume for each batch size and thread count asked for, reporting per-stage
 * p50/p95 and the process's peak RSS, for {@code PhantomDetectBench} (test sources). A benchmark, never a
 * test: the numbers depend on the machine.
 */
final class DetectBenchmark {

    /**
     * @param warmupRuns   detections per configuration before measuring (first-run allocations, JIT)
     * @param measuredRuns detections per configuration that are measured
     * @param batchSizes   slabs per model run to try (1, 2, 4, 8)
     * @param threadCounts intra-op thread counts to try
     */
    record Settings(int warmupRuns, int measuredRuns, List<Integer> batchSizes, List<Integer> threadCounts) {

        public Settings {
            batchSizes = List.copyOf(batchSizes);
            threadCounts = List.copyOf(threadCounts);
            if (warmupRuns < 0 || measuredRuns < 1 || batchSizes.isEmpty() || threadCounts.isEmpty()) {
                throw new IllegalArgumentException("need warm-up runs >= 0, measured runs >= 1 and at least one batch "
                        + "size and thread count, got " + warmupRuns + ", " + measuredRuns + ", " + batchSizes + ", "
                        + threadCounts);
            }
        }
    }

    /** Nearest-rank percentiles of a set of durations, milliseconds. */
    record Percentiles(double p50Millis, double p95Millis) {

        static Percentiles of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Percentiles(rank(sorted, 0.50) / 1e6, rank(sorted, 0.95) / 1e6);
        }

        private static long rank(long[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }

    /** One configuration's numbers. */
    record Result(ExecutionProvider provider, int batchSize, int threads, int slabs, int findings,
            Map<Stage, Percentiles> stages, Percentiles total) {
    }

    /**
     * @param peakRssBytes the process's peak resident set size after all runs (Linux VmHWM), or -1 where unknown
     */
    record Report(ModelCard card, VolumeGeometry volume, Settings settings, List<Result> results,
            long peakRssBytes) {

        public String format() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "detect benchmark: model %s %s (%s); synthetic, not for clinical use%n",
                    card.name(), card.version(), card.variant()));
            out.append(String.format(Locale.ROOT, "volume %dx%dx%d at %.2fx%.2fx%.2f mm; %d measured runs after %d "
                    + "warm-up per configuration%n", volume.columns(), volume.rows(), volume.slices(),
                    volume.spacingMm().x(), volume.spacingMm().y(), volume.spacingMm().z(), settings.measuredRuns(),
                    settings.warmupRuns()));
            out.append("provider batch threads slabs findings | ms p50/p95: preprocess      infer     decode      total\n");
            for (Result r : results) {
                out.append(String.format(Locale.ROOT, "%-8s %5d %7d %5d %8d | %21s %10s %10s %10s%n",
                        r.provider().label(), r.batchSize(), r.threads(), r.slabs(), r.findings(),
                        pair(r.stages().get(Stage.PREPROCESS)), pair(r.stages().get(Stage.INFER)),
                        pair(r.stages().get(Stage.DECODE)), pair(r.total())));
            }
            out.append(peakRssBytes < 0 ? "peak RSS: unknown on this platform\n"
                    : String.format(Locale.ROOT, "peak RSS of the process: %d MB%n", peakRssBytes >> 20));
            return out.toString();
        }

        private static String pair(Percentiles p) {
            return String.format(Locale.ROOT, "%.1f/%.1f", p.p50Millis(), p.p95Millis());
        }
    }

    private DetectBenchmark() {
    }

    /** Runs every configuration (base config with each batch size and thread count) on one volume. */
    static Report run(Path cardPath, DetectorConfig base, CtVolume volume, Settings settings) {
        List<Result> results = new ArrayList<>();
        ModelCard card = null;
        for (int threads : settings.threadCounts()) {
            for (int batch : settings.batchSizes()) {
                try (Detector detector = Detector.open(cardPath, base.withThreads(threads).withBatchSize(batch))) {
                    card = detector.card();
                    results.add(measure(detector, volume, settings));
                }
            }
        }
        return new Report(card, volume.geometry(), settings, results, peakRssBytes());
    }

    private static Result measure(Detector detector, CtVolume volume, Settings settings) {
        for (int i = 0; i < settings.warmupRuns(); i++) {
            detector.detect(volume);
        }
        Map<Stage, long[]> stageNanos = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            stageNanos.put(s, new long[settings.measuredRuns()]);
        }
        long[] total = new long[settings.measuredRuns()];
        Detection last = null;
        for (int i = 0; i < settings.measuredRuns(); i++) {
            last = detector.detect(volume);
            for (Stage s : Stage.values()) {
                stageNanos.get(s)[i] = last.timings().nanos(s);
            }
            total[i] = last.timings().totalNanos();
        }
        Map<Stage, Percentiles> stages = new EnumMap<>(Stage.class);
        stageNanos.forEach((s, nanos) -> stages.put(s, Percentiles.of(nanos)));
        DetectorConfig c = detector.config();
        return new Result(detector.executionProvider(), c.batchSize(), c.intraOpThreads(), last.slabs(),
                last.findings().findings().size(), stages, Percentiles.of(total));
    }

    /** Linux's high-water mark of this process's resident memory, or -1 where /proc is not there. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
