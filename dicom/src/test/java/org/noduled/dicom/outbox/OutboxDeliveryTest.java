package org.noduled.dicom.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.StructuredReport;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.dicom.Await;
import org.noduled.dicom.net.Destination;
import org.noduled.dicom.net.FakePacs;
import org.noduled.dicom.net.LoopbackReceiver;
import org.noduled.dicom.net.Orthanc;
import org.noduled.dicom.net.Storescp;
import org.noduled.dicom.sr.MeasurementReport;
import org.noduled.dicom.sr.SrFixtures;
import org.noduled.dicom.sr.SrValidators;

/** The outbox with its sender threads against real receivers started by the test on loopback. */
class OutboxDeliveryTest {

    static final OutboxBackoff FAST = new OutboxBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
    static final Duration SHORT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    final RecordingListener listener = new RecordingListener();

    Outbox open(Destination... destinations) throws Exception {
        List<Destination> quick = java.util.Arrays.stream(destinations).map(d -> d.withTimeouts(SHORT, SHORT))
                .toList();
        return Outbox.open(dir.resolve("outbox"), quick, FAST, listener, Clock.systemUTC());
    }

    static List<MeasurementReport> reports(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(SrFixtures::reportOnSeries).toList();
    }

    static List<String> uids(List<MeasurementReport> reports) {
        return reports.stream().map(MeasurementReport::sopInstanceUid).sorted().toList();
    }

    @Test
    void storescpStoppedMidRun_getsEveryReportOnceItIsBack() throws Exception {
        SrValidators.assumeInstalled("storescp");
        List<MeasurementReport> reports = reports(3);
        try (Storescp storescp = Storescp.acceptingAll(dir.resolve("storescp"));
                Outbox outbox = open(storescp.destination())) {
            storescp.start();
            outbox.start();
            outbox.submit(reports.get(0));
            // Wait for the outbox, not for the file: storescp writes the file before it answers success.
            Await.until("the first report is delivered", () -> outbox.pendingSopInstanceUids().isEmpty());
            assertEquals(uids(reports.subList(0, 1)), storescp.receivedSopInstanceUids());

            storescp.stop();
            outbox.submit(reports.get(1));
            outbox.submit(reports.get(2));
            Await.until("the outbox notices storescp is gone", () -> listener.failures.size() >= 2);
            assertEquals(uids(reports.subList(1, 3)), outbox.pendingSopInstanceUids().stream().sorted().toList());

            storescp.start();
            Await.until("the outbox empties once storescp is back", () -> outbox.pendingSopInstanceUids().isEmpty(),
                    () -> listener.failures.toString());
            assertEquals(uids(reports), storescp.receivedSopInstanceUids());
            assertTrue(listener.failures.stream().allMatch(f -> !f.refused() && f.problem().contains("storescp")));
        }
    }

    @Test
    void orthancDownAtStart_andStorescp_eachGetEveryReportOnce() throws Exception {
        SrValidators.assumeInstalled("storescp");
        SrValidators.assumeInstalled("Orthanc");
        List<MeasurementReport> reports = reports(3);
        try (Orthanc orthanc = new Orthanc(dir.resolve("orthanc"));
                Storescp storescp = Storescp.acceptingAll(dir.resolve("storescp"));
                Outbox outbox = open(orthanc.destination(), storescp.destination())) {
            storescp.start();
            outbox.start();
            for (MeasurementReport report : reports) {
                outbox.submit(report);
            }
            Await.until("storescp has all three", () -> storescp.receivedSopInstanceUids().size() == 3);
            Await.until("the outbox notices Orthanc is down",
                    () -> listener.failures.stream().anyMatch(f -> f.destination().equals("orthanc")));
            assertEquals(3, outbox.pendingSopInstanceUids().size(), "kept for Orthanc");

            orthanc.start();
            Await.until("the outbox empties once Orthanc is up", () -> outbox.pendingSopInstanceUids().isEmpty(),
                    () -> listener.failures.toString());

            assertEquals(uids(reports), orthanc.sopInstanceUids());
            assertEquals(uids(reports), storescp.receivedSopInstanceUids());
            for (String destination : List.of("orthanc", "storescp")) {
                assertEquals(3, listener.delivered.stream().filter(d -> d.endsWith("-> " + destination)).count(),
                        destination + " got each report once: " + listener.delivered);
            }
            AttributeList list = new AttributeList();
            list.read(new DicomInputStream(new ByteArrayInputStream(orthanc.file(orthanc.instanceIds().get(0)))));
            ContentItem root = (ContentItem) new StructuredReport(list).getRoot();
            assertEquals(1, root.getNamedChild("DCM", "126010").getChildCount(), "the SR read back from Orthanc");
            try (var left = Files.list(dir.resolve("outbox"))) {
                assertEquals(List.of(), left.toList());
            }
        }
    }

    @Test
    void refusingAndUnreachableDestinations_areLoggedWhileTheOthersAreServedAndNothingIsLost() throws Exception {
        SrValidators.assumeInstalled("storescp");
        List<MeasurementReport> reports = reports(2);
        Destination nobody = Destination.of("nobody", "PACS", "127.0.0.1", LoopbackReceiver.freePort());
        try (Storescp ctOnly = Storescp.acceptingOnlyCt(dir.resolve("ct-only"));
                FakePacs good = new FakePacs();
                Outbox outbox = open(ctOnly.destination("ct-only"), nobody, good.destination())) {
            ctOnly.start();
            outbox.start();
            outbox.submit(reports.get(0));
            Await.until("the refusal is reported", () -> listener.failures.stream()
                    .anyMatch(f -> f.destination().equals("ct-only") && f.refused()));
            Await.until("the unreachable destination is reported", () -> listener.failures.stream()
                    .anyMatch(f -> f.destination().equals("nobody") && !f.refused()));
            outbox.submit(reports.get(1));
            Await.until("the good destination gets both", () -> good.received.size() == 2);

            RecordingListener.Failure refusal = listener.failures.stream()
                    .filter(f -> f.destination().equals("ct-only")).findFirst().orElseThrow();
            assertTrue(refusal.problem().contains("does not accept Comprehensive 3D SR Storage"), refusal.problem());
            RecordingListener.Failure unreachable = listener.failures.stream()
                    .filter(f -> f.destination().equals("nobody")).findFirst().orElseThrow();
            assertTrue(unreachable.problem().contains("refused the connection"), unreachable.problem());
            assertEquals(uids(reports), outbox.pendingSopInstanceUids().stream().sorted().toList());
            for (MeasurementReport report : reports) {
                assertTrue(Files.exists(dir.resolve("outbox").resolve(report.sopInstanceUid() + ".dcm")));
            }
        }
    }
}
