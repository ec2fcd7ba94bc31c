package org.noduled.runtime;

import java.nio.file.Path;
import java.util.Objects;
import org.noduled.detect.Finding;
import org.noduled.detect.SeriesFindings;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.outbox.Outbox;
import org.noduled.dicom.series.IngestedSeries;
import org.noduled.dicom.sr.MeasurementReport;
import org.noduled.dicom.sr.MeasurementReportBuilder;

/**
 * The report stage: one SR per series, put in the outbox (fsynced before this returns) and/or written to
 * the output folder.
 *
 * <p>The SR carries only the findings at or above the card's operating point score: the radiologist reads
 * the SR, and the operating point is the threshold the card's sensitivity and false positives per scan are
 * quoted at. Findings between the card's score threshold and the operating point stay in findings.json,
 * flagged, for whoever tunes the threshold.
 */
final class SeriesReporter {

    private final MeasurementReportBuilder builder;
    private final double operatingPointScore;
    private final OutputFolder output;
    private final Outbox outbox;

    /**
     * @param output where sr.dcm goes, or null for none
     * @param outbox where the SR is queued for the PACS, or null for none
     */
    SeriesReporter(MeasurementReportBuilder builder, double operatingPointScore, OutputFolder output, Outbox outbox) {
        this.builder = Objects.requireNonNull(builder, "builder");
        this.operatingPointScore = operatingPointScore;
        this.output = output;
        this.outbox = outbox;
    }

    ReportedSeries report(IngestedSeries series, SeriesFindings findings) throws DicomException {
        MeasurementReport sr = builder.build(series.study(), atOperatingPoint(findings), series.volume().geometry());
        if (outbox != null) {
            outbox.submit(sr);
        }
        Path file = null;
        if (output != null) {
            file = output.srFile(findings.seriesInstanceUid());
            sr.writeTo(file);
        }
        return new ReportedSeries(sr.sopInstanceUid(), sr.findingCount(), file, outbox != null);
    }

    boolean atOperatingPoint(Finding finding) {
        return finding.score() >= operatingPointScore;
    }

    double operatingPointScore() {
        return operatingPointScore;
    }

    private SeriesFindings atOperatingPoint(SeriesFindings all) {
        return new SeriesFindings(all.seriesInstanceUid(), all.frameOfReferenceUid(), all.model(),
                all.findings().stream().filter(this::atOperatingPoint).toList());
    }
}
