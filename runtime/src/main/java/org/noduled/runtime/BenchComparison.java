package org.noduled.runtime;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The comparisons {@code bench detect} closes with: INT8 against FP32 and dense against pruned at equal batch
 * size and threads (by the card's variant, "structure-precision", e.g. pruned-int8), each model's best p50
 * against the latency budget, and the largest peak RSS against the memory target.
 */
final class BenchComparison {

    private BenchComparison() {
    }

    static void print(PrintWriter out, List<PipelineBench.Result> results, double budgetMillis, long rssTargetBytes) {
        compare(out, results, "INT8 vs FP32", r -> precision(r).equals("int8"), r -> precision(r).equals("fp32"),
                (a, b) -> structure(a).equals(structure(b)));
        compare(out, results, "pruned vs dense", r -> structure(r).equals("pruned") && precision(r).equals("fp32"),
                r -> structure(r).equals("dense") && precision(r).equals("fp32"), (a, b) -> true);
        LatencyBudget budget = new LatencyBudget(budgetMillis);
        results.stream().map(PipelineBench.Result::variant).distinct().forEach(variant -> {
            PipelineBench.Result best = results.stream().filter(r -> r.variant().equals(variant))
                    .min(Comparator.comparingDouble(r -> r.total().p50())).orElseThrow();
            out.printf(Locale.ROOT, "%s: best p50 total %.1f ms (batch %d, %d thread%s): %s%n", variant,
                    best.total().p50(), best.batch(), best.threads(), best.threads() == 1 ? "" : "s",
                    budget.verdict(best.total().p50()));
        });
        Optional<PipelineBench.Result> largest = results.stream().filter(r -> r.peakRssBytes() >= 0)
                .max(Comparator.comparingLong(PipelineBench.Result::peakRssBytes));
        largest.ifPresent(r -> out.printf(Locale.ROOT, "largest peak RSS %d MB (%s, batch %d, %d thread%s): %s the %d MB"
                + " target%n", r.peakRssBytes() >> 20, r.variant(), r.batch(), r.threads(), r.threads() == 1 ? "" : "s",
                r.peakRssBytes() <= rssTargetBytes ? "within" : "OVER", rssTargetBytes >> 20));
    }

    private static void compare(PrintWriter out, List<PipelineBench.Result> results, String title,
            java.util.function.Predicate<PipelineBench.Result> faster,
            java.util.function.Predicate<PipelineBench.Result> baseline,
            java.util.function.BiPredicate<PipelineBench.Result, PipelineBench.Result> sameFamily) {
        for (PipelineBench.Result a : results) {
            if (!faster.test(a)) {
                continue;
            }
            for (PipelineBench.Result b : results) {
                if (baseline.test(b) && sameFamily.test(a, b) && a.batch() == b.batch() && a.threads() == b.threads()) {
                    double inferA = a.stages().get(PipelineStage.INFER).p50();
                    double inferB = b.stages().get(PipelineStage.INFER).p50();
                    out.printf(Locale.ROOT, "%s (%s vs %s, batch %d, %d thread%s): infer p50 %.1f vs %.1f ms = %.2fx; "
                            + "total p50 %.1f vs %.1f ms%n", title, a.variant(), b.variant(), a.batch(), a.threads(),
                            a.threads() == 1 ? "" : "s", inferA, inferB, inferB / inferA, a.total().p50(), b.total().p50());
                }
            }
        }
    }

    /** "pruned" of "pruned-int8". */
    private static String structure(PipelineBench.Result r) {
        int dash = r.variant().indexOf('-');
        return dash < 0 ? r.variant() : r.variant().substring(0, dash);
    }

    /** "int8" of "pruned-int8". */
    private static String precision(PipelineBench.Result r) {
        return r.variant().substring(r.variant().lastIndexOf('-') + 1);
    }
}
