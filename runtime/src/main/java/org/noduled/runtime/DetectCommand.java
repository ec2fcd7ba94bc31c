package org.noduled.runtime;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import org.noduled.detect.Detector;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.net.Destination;
import org.noduled.dicom.outbox.Outbox;
import org.noduled.dicom.series.FolderScan;
import org.noduled.dicom.series.SeriesAssembler;
import org.noduled.dicom.series.SeriesFiles;
import org.noduled.dicom.series.SeriesScanner;
import org.noduled.dicom.series.SkippedFile;
import org.noduled.preprocess.ShortUid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code noduled detect INPUT... --out DIR}: every CT series under the inputs through the whole pipeline. */
@Command(name = "detect",
        mixinStandardHelpOptions = true,
        description = {
            "Finds the CT series under INPUT (folders searched recursively, or files), runs each through load,",
            "preprocess, infer, decode and report, and writes DIR/<series UID>/findings.json (every finding with",
            "its score, flagged at the card's operating point) and DIR/<series UID>/sr.dcm (a TID 1500 SR with",
            "the findings at the operating point). Prints one line per series with its latency against the",
            "budget. The model is opened and checked before any series is read. Synthetic-trained model, not",
            "for clinical use."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every series processed (and, with --send, every SR delivered)",
            "1:some series failed or some DICOM files were damaged (one line each on stderr)",
            "2:the command itself failed (model missing or corrupt, bad option, unreadable input folder)",
            "3:every series processed but some SRs are still in the outbox after --send-wait (they stay there"
                    + " and go out on the next run with the same --outbox)"})
final class DetectCommand implements Callable<Integer> {

    static final int EXIT_BAD_INPUT = 1;
    static final int EXIT_UNDELIVERED = 3;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Folders (searched recursively) or files.")
    private List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created).")
    private Path out;

    @Mixin
    private EngineOptions engine;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N",
            description = "Threads for ONNX Runtime and for reading files (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--batch", defaultValue = "4", paramLabel = "N",
            description = "Slabs per model run: 1, 2, 4 or 8 (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--send", paramLabel = "AE@HOST:PORT", converter = DestinationOption.class,
            description = "Also send every SR by C-STORE through the durable outbox (repeatable).")
    private List<Destination> destinations = new ArrayList<>();

    @Option(names = "--outbox", paramLabel = "DIR", description = "Outbox folder for --send (default: DIR/outbox).")
    private Path outboxFolder;

    @Option(names = "--send-wait", defaultValue = "30", paramLabel = "SECONDS",
            description = "How long to wait for the outbox to deliver before exiting (default: ${DEFAULT-VALUE}).")
    private double sendWaitSeconds;

    @Option(names = "--budget-ms", defaultValue = "500", paramLabel = "MS",
            description = "Latency budget per series, milliseconds (default: ${DEFAULT-VALUE}).")
    private double budgetMillis;

    @Option(names = "--device-name", paramLabel = "NAME",
            description = "This node's name in the SR's observer context (default: the host name).")
    private String deviceName;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, DicomException {
        if (sendWaitSeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--send-wait must be 0 or more seconds");
        }
        LatencyBudget budget = budget();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        List<String> failures = new ArrayList<>();
        Map<String, String> seriesBySr = new LinkedHashMap<>();
        ExecutorService pool = IngestThreads.start(threads);
        // The model first: a missing or corrupt model stops here, before any series is read.
        try (Detector detector = Detector.open(engine.card(), engine.config(threads, batch), System::nanoTime);
                Outbox outbox = destinations.isEmpty() ? null : openOutbox()) {
            OutputFolder output = new OutputFolder(out);
            SeriesReporter reporter = new SeriesReporter(NodeDevice.reportBuilder(deviceName, Clock.systemDefaultZone()),
                    detector.card().decode().operatingPointScore(), output, outbox);
            SeriesPipeline pipeline = new SeriesPipeline(new SeriesAssembler(pool), detector, reporter, output, budget,
                    System::nanoTime, LatencyLog.toLog(budget));
            FolderScan scan = new SeriesScanner(pool).scan(inputs);
            for (SeriesFiles files : scan.series()) {
                SeriesOutcome outcome = pipeline.process(files);
                stdout.println(summary(outcome, reporter, budget));
                stdout.flush();
                if (outcome instanceof SeriesOutcome.Failed failed) {
                    failures.add("series " + ShortUid.of(failed.seriesInstanceUid()) + ": " + failed.reason());
                } else if (outcome instanceof SeriesOutcome.Processed p && p.report().queued()) {
                    seriesBySr.put(p.report().srSopInstanceUid(), p.seriesInstanceUid());
                }
            }
            int failedSeries = failures.size();
            for (SkippedFile skipped : scan.skipped()) {
                stdout.printf("skipped %s: %s%n", skipped.file(), skipped.reason());
                if (skipped.damaged()) {
                    failures.add(skipped.reason());
                }
            }
            stdout.printf("%d series: %d processed, %d failed; %d file(s) skipped, %d of them damaged; output in %s%n",
                    scan.series().size(), scan.series().size() - failedSeries, failedSeries, scan.skipped().size(),
                    failures.size() - failedSeries, out);
            List<String> pending = outbox == null ? List.of() : awaitDelivery(outbox, stdout, seriesBySr);
            stdout.flush();
            failures.forEach(f -> stderr.println("noduled detect: " + f.replace('\n', ' ')));
            stderr.flush();
            return !failures.isEmpty() ? EXIT_BAD_INPUT : pending.isEmpty() ? 0 : EXIT_UNDELIVERED;
        } finally {
            pool.shutdownNow();
        }
    }

    /** "series 1.2.826.…345678: 3 findings, 1 at the operating point 0.4; total 412.0 ms (...): verdict". */
    static String summary(SeriesOutcome outcome, SeriesReporter reporter, LatencyBudget budget) {
        PipelineTimings t = outcome.timings();
        String uid = ShortUid.of(outcome.seriesInstanceUid());
        if (outcome instanceof SeriesOutcome.Failed f) {
            return String.format(Locale.ROOT, "series %s: FAILED in %s after %.1f ms: %s", uid, f.stage().label(),
                    t.totalMillis(), f.reason());
        }
        SeriesOutcome.Processed p = (SeriesOutcome.Processed) outcome;
        int all = p.findings().findings().size();
        return String.format(Locale.ROOT, "series %s: %d finding%s, %d at the operating point %s; total %.1f ms (%s): %s",
                uid, all, all == 1 ? "" : "s", p.report().srFindings(), reporter.operatingPointScore(),
                t.totalMillis(), LatencyLog.stages(t), budget.verdict(t.totalMillis()));
    }

    private LatencyBudget budget() {
        try {
            return new LatencyBudget(budgetMillis);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--budget-ms: " + e.getMessage());
        }
    }

    private Outbox openOutbox() throws DicomException {
        Outbox outbox = Outbox.open(outboxFolder != null ? outboxFolder : out.resolve("outbox"), destinations);
        outbox.start();
        return outbox;
    }

    /** Waits up to --send-wait for the outbox to empty; lists what is still pending. */
    private List<String> awaitDelivery(Outbox outbox, PrintWriter stdout, Map<String, String> seriesBySr) {
        long deadline = System.nanoTime() + Duration.ofMillis((long) (sendWaitSeconds * 1000)).toNanos();
        List<String> pending = outbox.pendingSopInstanceUids();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pending = outbox.pendingSopInstanceUids();
        }
        if (pending.isEmpty()) {
            stdout.printf("outbox: every SR delivered to %d destination(s)%n", destinations.size());
        } else {
            stdout.printf(Locale.ROOT, "outbox: %d SR(s) still pending after %.0f s; they stay in %s and are sent on "
                    + "the next run with the same outbox:%n", pending.size(), sendWaitSeconds,
                    outboxFolder != null ? outboxFolder : out.resolve("outbox"));
            for (String sr : pending) {
                String series = seriesBySr.get(sr);
                stdout.printf("  SR %s (%s)%n", ShortUid.of(sr),
                        series == null ? "from an earlier run" : "series " + ShortUid.of(series));
            }
        }
        return pending;
    }
}
