package org.noduled.dicom.sr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.noduled.dicom.net.Destination;
import org.noduled.dicom.outbox.Outbox;
import org.noduled.dicom.outbox.OutboxBackoff;
import org.noduled.dicom.outbox.OutboxListener;

/**
 * Prints what the report stage costs inside the latency budget: building the SR (0, 1, 10 findings on a
 * 40-slice series) and putting it in the outbox (write, fsync, rename, folder fsync). Medians of repeated
 * runs after a warm-up. Usage: ReportBench [outbox folder, default a temporary one under /tmp]; it also leaves
 * sr0.dcm, sr1.dcm and sr10.dcm there for dciodvfy and dsrdump.
 */
public final class ReportBench {

    private ReportBench() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("noduled-report-bench");
        Destination nowhere = Destination.of("bench", "NONE", "127.0.0.1", 9);
        OutboxListener quiet = new OutboxListener() {
        };
        for (int findings : new int[] {0, 1, 10}) {
            MeasurementReport report = SrFixtures.report(findings);
            double[] buildMillis = new double[200];
            for (int i = 0; i < 300; i++) {
                long t = System.nanoTime();
                report = SrFixtures.report(findings);
                if (i >= 100) {
                    buildMillis[i - 100] = (System.nanoTime() - t) / 1e6;
                }
            }
            double[] submitMillis = new double[30];
            try (Outbox outbox = Outbox.open(folder.resolve("outbox-" + findings), List.of(nowhere),
                    OutboxBackoff.DEFAULT, quiet, Clock.systemUTC())) {
                for (int i = 0; i < 40; i++) {
                    long t = System.nanoTime();
                    outbox.submit(report);
                    if (i >= 10) {
                        submitMillis[i - 10] = (System.nanoTime() - t) / 1e6;
                    }
                }
            }
            report.writeTo(folder.resolve("sr" + findings + ".dcm"));
            System.out.printf("%2d findings: SR %6d bytes, build median %.2f ms, outbox submit (fsynced) median"
                    + " %.2f ms%n", findings, report.sizeBytes(), median(buildMillis), median(submitMillis));
        }
        System.out.println("files: " + folder);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
