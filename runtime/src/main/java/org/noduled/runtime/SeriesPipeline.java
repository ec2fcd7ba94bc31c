package org.noduled.runtime;

import java.util.Objects;
import java.util.function.LongSupplier;
import org.noduled.detect.Detection;
import org.noduled.detect.Detector;
import org.noduled.dicom.series.IngestedSeries;
import org.noduled.dicom.series.SeriesAssembler;
import org.noduled.dicom.series.SeriesFiles;

/**
 * One series through the node: load, then the detector's preprocess, infer and decode, then report; then
 * findings.json in the output folder. {@link #process(String, SeriesChain.Work)} lists the stages, each
 * timed by the chain. A series that fails comes back as {@link SeriesOutcome.Failed} with its stage and
 * reason, so one bad series never stops the others.
 *
 * <p>One series at a time (the detector reuses its buffers between series).
 */
final class SeriesPipeline {

    private final SeriesAssembler assembler;
    private final Detector detector;
    private final SeriesReporter reporter;
    private final OutputFolder output;
    private final LatencyBudget budget;
    private final LongSupplier nanoClock;
    private final PipelineListener listener;

    /**
     * @param output    where findings.json goes, or null for none
     * @param nanoClock the clock every stage is timed with; the detector must have been opened with it
     */
    SeriesPipeline(SeriesAssembler assembler, Detector detector, SeriesReporter reporter, OutputFolder output,
            LatencyBudget budget, LongSupplier nanoClock, PipelineListener listener) {
        this.assembler = Objects.requireNonNull(assembler, "assembler");
        this.detector = Objects.requireNonNull(detector, "detector");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.output = output;
        this.budget = Objects.requireNonNull(budget, "budget");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** A series found by a scan: its headers are read, so loading it reads the pixels. */
    synchronized SeriesOutcome process(SeriesFiles files) {
        return process(files.seriesInstanceUid(), () -> assembler.assemble(files));
    }

    /**
     * Runs every stage of one series.
     *
     * @param seriesInstanceUid the series, as the listener hears it
     * @param load              the load stage: files to an HU volume
     */
    synchronized SeriesOutcome process(String seriesInstanceUid, SeriesChain.Work<IngestedSeries> load) {
        SeriesChain chain = new SeriesChain(seriesInstanceUid, nanoClock, listener);
        try {
            IngestedSeries series = chain.run(PipelineStage.LOAD, load);
            Detection detection = chain.delegate(stages -> detector.detect(series.volume(), stages));
            ReportedSeries report = chain.run(PipelineStage.REPORT,
                    () -> reporter.report(series, detection.findings()));
            SeriesOutcome.Processed processed = new SeriesOutcome.Processed(seriesInstanceUid, detection.findings(),
                    detection.slabs(), report, chain.timings());
            if (output != null) {
                FindingsJson.write(output.findingsFile(seriesInstanceUid),
                        FindingsJson.of(processed, detector.card(), reporter, budget));
            }
            return chain.done(processed);
        } catch (Exception e) {
            return chain.fail(e);
        }
    }
}
