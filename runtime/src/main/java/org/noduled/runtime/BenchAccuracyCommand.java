package org.noduled.runtime;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noduled.preprocess.phantom.PhantomSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code noduled bench accuracy}: the Java pipeline's sensitivity and FP/scan beside the card's figures. */
@Command(name = "accuracy",
        mixinStandardHelpOptions = true,
        description = {
            "Makes --series-count default-geometry phantoms (512x512x300) with seeds from --first-seed, runs each",
            "through the Java pipeline and reports sensitivity at the card's operating point over nodules >= 4 mm",
            "(a hit: finding centre within the nodule's radius) and false positives per scan, beside the card's",
            "figures and the difference; then the FROC curve over every finding's score and its CPM beside the",
            "card's. Seeds the model was trained or validated on are refused. Synthetic, not for clinical use."})
final class BenchAccuracyCommand implements Callable<Integer> {

    /** Outside the training pipeline's default seed ranges (train 100000.., val 500000.., test 900000..). */
    static final long DEFAULT_FIRST_SEED = 700_000;

    @Option(names = "--series-count", defaultValue = "20", paramLabel = "N",
            description = "Phantoms (default: ${DEFAULT-VALUE}).")
    private int count;

    @Option(names = "--first-seed", defaultValue = "" + DEFAULT_FIRST_SEED, paramLabel = "S",
            description = "Seed of the first phantom (default: ${DEFAULT-VALUE}).")
    private long firstSeed;

    @Mixin
    private EngineOptions engine;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N", description = "Threads (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--batch", defaultValue = "4", paramLabel = "N", description = "Batch size (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--paired", paramLabel = "JSON",
            description = "Training's evaluation of the same model on the same seeds (models/training/scripts/"
                    + "paired_accuracy.py; models/training/results/paired-*.json): printed beside the Java figure.")
    private Path paired;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--series-count must be at least 1");
        }
        Path card = engine.card();
        CardFigures figures = CardFigures.read(card);
        String overlap = figures.overlappingTrainingSplit(firstSeed, count);
        if (overlap != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "seeds " + firstSeed + ".."
                    + (firstSeed + count - 1) + " overlap the model's " + overlap + " seeds (its card says so); choose"
                    + " seeds outside them, e.g. --first-seed " + DEFAULT_FIRST_SEED);
        }
        TrainingTally reference = paired == null ? null : TrainingTally.read(paired);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "bench accuracy: %d phantoms 512x512x300, seeds %d..%d; model %s; synthetic, not for "
                + "clinical use%n", count, firstSeed, firstSeed + count - 1, card);
        out.flush();
        AccuracyResult result = AccuracyBench.run(card, engine.config(threads, batch), PhantomSpec.defaults(0),
                firstSeed, count, line -> {
                    out.println(line);
                    out.flush();
                });
        AccuracyTally tally = result.atOperatingPoint();
        print(out, tally, figures);
        printFroc(out, result.froc(), figures);
        if (reference != null) {
            printPaired(out, result, reference, firstSeed, count);
        }
        out.flush();
        return 0;
    }

    /** Java against training's evaluation on the same phantoms: the pipeline's own difference. */
    static void printPaired(PrintWriter out, AccuracyResult java, TrainingTally training, long firstSeed, int count) {
        AccuracyTally t = java.atOperatingPoint();
        String mismatch = training.mismatch(firstSeed, count, t.score());
        if (mismatch != null) {
            out.println("paired: not comparable with the --paired file: " + mismatch);
            return;
        }
        out.printf(Locale.ROOT, "paired, same phantoms: training's evaluation %d/%d = %.3f, %.2f FP/scan; Java %d/%d = "
                + "%.3f, %.2f FP/scan: %+.1f points (goal: within 2 points)%n", training.found(), training.nodules(),
                training.sensitivity(), training.fpPerScan(), t.found(), t.nodules(), t.sensitivity(),
                t.falsePositivesPerScan(), (t.sensitivity() - training.sensitivity()) * 100);
        if (training.cpm().isPresent()) {
            double cpm = java.froc().cpm();
            out.printf(Locale.ROOT, "paired CPM, same phantoms: training's evaluation %.3f, Java %.3f: %+.1f points%n",
                    training.cpm().getAsDouble(), cpm, (cpm - training.cpm().getAsDouble()) * 100);
        }
    }

    /**
     * The curve the card's CPM summarises, on these phantoms. Few phantoms make a coarse curve: with 20 scans,
     * 1/8 FP/scan allows 2 false positives in all.
     */
    static void printFroc(PrintWriter out, FrocTally froc, CardFigures card) {
        double[] s = froc.sensitivities();
        StringBuilder curve = new StringBuilder();
        for (int r = 0; r < s.length; r++) {
            curve.append(String.format(Locale.ROOT, "%s%s: %.3f", r == 0 ? "" : ", ",
                    rateLabel(FrocTally.FP_RATES[r]), s[r]));
        }
        out.printf(Locale.ROOT, "Java FROC, nodules >= %.0f mm (%d in %d scans), sensitivity at FP/scan %s%n",
                froc.minDiameterMm(), froc.nodules(), froc.scans(), curve);
        if (card.cpm().isPresent()) {
            out.printf(Locale.ROOT, "CPM: Java %.3f vs card %.3f: %+.1f points%n", froc.cpm(), card.cpm().getAsDouble(),
                    (froc.cpm() - card.cpm().getAsDouble()) * 100);
        } else {
            out.printf(Locale.ROOT, "CPM: Java %.3f (the card states none)%n", froc.cpm());
        }
    }

    /** 0.125, 0.5, 1, 8: as the card's tables write them. */
    private static String rateLabel(double rate) {
        return rate == Math.rint(rate) ? Integer.toString((int) rate) : Double.toString(rate);
    }

    static void print(PrintWriter out, AccuracyTally t, CardFigures card) {
        out.printf(Locale.ROOT, "Java pipeline at the operating point (score %.4g), nodules >= %.0f mm: sensitivity "
                + "%d/%d = %.3f, false positives %d in %d scans = %.2f per scan%n", t.score(), t.minDiameterMm(),
                t.found(), t.nodules(), t.sensitivity(), t.falsePositives(), t.scans(), t.falsePositivesPerScan());
        out.printf("card's figures: %s%n", card.data());
        if (card.sensitivity().isPresent()) {
            double diff = (t.sensitivity() - card.sensitivity().getAsDouble()) * 100;
            out.printf(Locale.ROOT, "sensitivity: Java %.3f vs card %.3f: %+.1f points (goal: within 2 points; with %d "
                    + "nodules one nodule is %.1f points)%n", t.sensitivity(), card.sensitivity().getAsDouble(), diff,
                    t.nodules(), 100.0 / Math.max(1, t.nodules()));
        } else {
            out.println("sensitivity: the card states no operating-point sensitivity to compare with");
        }
        if (card.fpPerScan().isPresent()) {
            out.printf(Locale.ROOT, "false positives per scan: Java %.2f vs card %.2f: %+.2f%n",
                    t.falsePositivesPerScan(), card.fpPerScan().getAsDouble(),
                    t.falsePositivesPerScan() - card.fpPerScan().getAsDouble());
        }
    }
}
