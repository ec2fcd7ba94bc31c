package org.noduled.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.noduled.detect.DetectorConfig;
import org.noduled.detect.ExecutionProvider;
import org.noduled.detect.ModelCard;
import org.noduled.detect.TensorRtSettings;
import org.noduled.preprocess.phantom.PhantomSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code noduled bench detect}: the whole series path per model, batch size and thread count, each
 * configuration in a child JVM of its own so that its peak RSS is its own.
 */
@Command(name = "detect",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole series path (files in the page cache -> scan, load, preprocess, infer, decode, report",
            "with the SR fsynced into a scratch folder) --runs times after --warmup untimed runs, for every model",
            "x thread count x batch size, and prints per-stage p50/p95 ms, peak RSS, INT8 vs FP32 and dense vs",
            "pruned. The series is --series DIR, else a 512x512x300 phantom made in a temporary folder. Each",
            "configuration runs in a child JVM, so each peak RSS (VmHWM) is that configuration's alone.",
            "Synthetic, not for clinical use."})
final class BenchDetectCommand implements Callable<Integer> {

    static final String RESULT_PREFIX = "noduled-bench-result ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double BUDGET_MILLIS = LatencyBudget.DEFAULT_MILLIS;
    private static final long RSS_TARGET_BYTES = 1L << 30;

    @Option(names = "--series", paramLabel = "DIR", description = "Folder holding one CT series.")
    private Path series;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Seed of the 512x512x300 phantom when no --series is given (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--runs", defaultValue = "10", paramLabel = "N", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "N",
            description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--batch", split = ",", defaultValue = "1,2,4,8", paramLabel = "N,...",
            description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    private List<Integer> batches;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", paramLabel = "N,...",
            description = "Intra-op thread counts (default: ${DEFAULT-VALUE}).")
    private List<Integer> threadCounts;

    @Option(names = "--models", arity = "1..*", paramLabel = "CARD",
            description = "Model cards (default: every card in the installation's models/ folder).")
    private List<Path> models;

    @Option(names = "--provider", defaultValue = "cpu", paramLabel = "cpu|cuda|tensorrt",
            converter = EngineOptions.ProviderOption.class, description = "Execution provider (default: ${DEFAULT-VALUE}).")
    private ExecutionProvider provider;

    @Option(names = "--in-process", description = "Run every configuration in this JVM (quicker; peak RSS is then "
            + "the running maximum over configurations, not each one's own).")
    private boolean inProcess;

    @Option(names = "--jvm-option", paramLabel = "OPT",
            description = "JVM option for the child JVMs (repeatable; default: this JVM's own options).")
    private List<String> jvmOptions;

    @Option(names = "--child", hidden = true, description = "Measure exactly one configuration, print one result line.")
    private boolean child;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be >= 1 and --warmup >= 0");
        }
        for (int b : batches) {
            if (!DetectorConfig.BATCH_SIZES.contains(b)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--batch: " + b + " is not 1, 2, 4 or 8");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Path> cards = models != null ? models : defaultCards();
        if (child) {
            PipelineBench.Result r = PipelineBench.run(cards.get(0), config(threadCounts.get(0), batches.get(0)),
                    series, warmup, runs);
            out.println(RESULT_PREFIX + JSON.writeValueAsString(r.toJson()));
            out.flush();
            return 0;
        }
        Path folder = series;
        Path made = null;
        if (folder == null) {
            made = Files.createTempDirectory("noduled-bench-phantom-");
            out.printf("making a 512x512x300 phantom (seed %d) in %s ...%n", seed, made);
            out.flush();
            PhantomDicom.write(PhantomSpec.defaults(seed), made, Runtime.getRuntime().availableProcessors());
            folder = made;
        }
        try {
            return measureAll(out, cards, folder);
        } finally {
            if (made != null) {
                deleteSeries(made);
            }
        }
    }

    private int measureAll(PrintWriter out, List<Path> cards, Path folder) throws Exception {
        out.printf(Locale.ROOT, "bench detect: synthetic, not for clinical use; series %s; %d timed runs after %d "
                + "warm-up per configuration; %s; machine load average %.2f on %d cores%n",
                series != null ? series : "512x512x300 phantom seed " + seed, runs, warmup,
                inProcess ? "all configurations in one JVM (peak RSS is a running maximum)"
                        : "one child JVM per configuration (" + String.join(" ", childJvmOptions()) + ")",
                loadAverage(), Runtime.getRuntime().availableProcessors());
        out.println("times are p50/p95 ms over the timed runs; total = the series' latency (load to SR fsynced)");
        out.printf(Locale.ROOT, "%-14s %-8s %5s %7s %5s %5s | %10s %10s %10s %10s %10s %11s | %s%n", "variant",
                "provider", "batch", "threads", "slabs", "finds", "load", "preprocess", "infer", "decode", "report",
                "total", "peak RSS");
        out.flush();
        List<PipelineBench.Result> results = new ArrayList<>();
        for (Path card : cards) {
            ModelCard c = ModelCard.read(card);
            out.printf("model %s %s (%s), %s%n", c.name(), c.version(), c.variant(), card);
            for (int threads : threadCounts) {
                for (int batch : batches) {
                    PipelineBench.Result r = inProcess
                            ? PipelineBench.run(card, config(threads, batch), folder, warmup, runs)
                            : inChild(card, threads, batch, folder);
                    results.add(r);
                    out.println(row(r));
                    out.flush();
                }
            }
        }
        BenchComparison.print(out, results, BUDGET_MILLIS, RSS_TARGET_BYTES);
        out.printf(Locale.ROOT, "machine load average at the end %.2f (other processes on the same cores inflate wall"
                + " times); synthetic, not for clinical use%n", loadAverage());
        out.flush();
        return 0;
    }

    private DetectorConfig config(int threads, int batch) {
        return new DetectorConfig(provider, false, 0, threads, batch, TensorRtSettings.defaults());
    }

    private PipelineBench.Result inChild(Path card, int threads, int batch, Path folder) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(childJvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench", "detect",
                "--child", "--series", folder.toString(), "--models", card.toString(), "--threads",
                Integer.toString(threads), "--batch", Integer.toString(batch), "--runs", Integer.toString(runs),
                "--warmup", Integer.toString(warmup), "--provider", provider.configName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("benchmark child for " + card.getFileName() + " did not finish in 30 minutes");
        }
        Optional<String> line = output.lines().filter(l -> l.startsWith(RESULT_PREFIX)).findFirst();
        if (p.exitValue() != 0 || line.isEmpty()) {
            throw new IOException("benchmark child for " + card.getFileName() + " (batch " + batch + ", threads "
                    + threads + ") exited with " + p.exitValue() + ": " + output.strip().replace('\n', ' '));
        }
        return PipelineBench.Result.fromJson(JSON.readTree(line.get().substring(RESULT_PREFIX.length())));
    }

    private List<String> childJvmOptions() {
        if (jvmOptions != null) {
            return jvmOptions;
        }
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList();
    }

    static String row(PipelineBench.Result r) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-14s %-8s %5d %7d %5d %5d |",
                r.variant(), r.provider(), r.batch(), r.threads(), r.slabs(), r.findings())).append(' ');
        for (PipelineStage stage : PipelineStage.values()) {
            Timings t = r.stages().get(stage);
            s.append(String.format(Locale.ROOT, "%10s ", String.format(Locale.ROOT, "%.1f/%.1f", t.p50(), t.p95())));
        }
        s.append(String.format(Locale.ROOT, "%11s | %s", String.format(Locale.ROOT, "%.1f/%.1f", r.total().p50(),
                r.total().p95()), r.peakRssBytes() < 0 ? "unknown" : (r.peakRssBytes() >> 20) + " MB"));
        return s.toString();
    }

    private static List<Path> defaultCards() throws IOException {
        List<Path> all = ShippedModels.allCards();
        return all.isEmpty() ? List.of(ShippedModels.defaultCard()) : all;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Deletes the phantom this command wrote (its slices and the folder), nothing else. */
    private static void deleteSeries(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
