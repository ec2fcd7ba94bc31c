package org.noduled.dicom.outbox;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.noduled.dicom.net.Destination;
import org.noduled.dicom.net.Storescp;
import org.noduled.dicom.sr.MeasurementReport;
import org.noduled.dicom.sr.SrFixtures;

/**
 * A process for {@link OutboxKillTest} to kill: opens the outbox, starts its senders, submits reports
 * {@code first .. first + count - 1} and prints "ACK uid" after each submit returns, then idles.
 * Arguments: outbox folder, storescp port, first, count.
 */
public final class OutboxChild {

    private OutboxChild() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        int first = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        Destination storescp = Destination.of("storescp", Storescp.AE_TITLE, "127.0.0.1", port)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
        Outbox outbox = Outbox.open(folder, List.of(storescp),
                new OutboxBackoff(Duration.ofMillis(20), Duration.ofMillis(100)), new OutboxListener() {
                }, Clock.systemUTC());
        outbox.start();
        System.out.println("STARTED");
        System.out.flush();
        for (int n = first; n < first + count; n++) {
            MeasurementReport report = SrFixtures.reportOnSeries(n);
            outbox.submit(report);
            System.out.println("ACK " + report.sopInstanceUid());
            System.out.flush();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
