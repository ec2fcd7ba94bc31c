package org.noduled.dicom.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.dicom.DurableDisk;
import org.noduled.dicom.net.Destination;
import org.noduled.dicom.net.FakePacs;
import org.noduled.dicom.net.StoreResult;
import org.noduled.dicom.net.StoreScu;
import org.noduled.dicom.net.TestPart10;
import org.noduled.dicom.sr.MeasurementReport;
import org.noduled.dicom.sr.MeasurementReportBuilder;
import org.noduled.dicom.sr.SrFixtures;

/**
 * The process "dies" after each single step that changes the disk or the receiver (a file written, renamed,
 * deleted, a folder fsynced, a PACS answering success), in turn; a fresh outbox then opens the folder. Every
 * report whose submit returned must reach both destinations, and nothing but submitted reports may.
 *
 * <p>The death is an {@link Error} thrown from the step, which skips the outbox's clean-up code as a kill
 * would. A kill does not lose what the page cache holds, so this covers {@code kill -9}; what it cannot show
 * is a power loss, which the fsyncs are for (see OUTBOX.md).
 */
class OutboxCrashTest {

    /** The simulated death. */
    static final class Crash extends Error {
        Crash(String where) {
            super("died after: " + where, null, false, false);
        }
    }

    @TempDir
    Path dir;

    @Test
    void crashAfterAnyStep_losesNoAcknowledgedReportAndDeliversOnlySubmittedOnes() throws Exception {
        MeasurementReport first = SrFixtures.reportOnSeries(1);
        MeasurementReport second = SrFixtures.reportOnSeries(2);
        MeasurementReport firstAgain = new MeasurementReportBuilder(SrFixtures.DEVICE, 7001, SrFixtures.CLOCK)
                .build(SrFixtures.source(SrFixtures.SERIES_UID + ".1"), SrFixtures.findings(SrFixtures.SERIES_UID
                        + ".1", 4), SrFixtures.GEOMETRY);
        Set<String> submittable = Set.of(first.sopInstanceUid(), second.sopInstanceUid());
        // A crash is not a power loss: fsync cost (4 ms a file here) buys nothing in this test, tmpfs is free.
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "outbox-crash")
                : dir;
        int crashes = 0;
        for (int crashAt = 1; ; crashAt++) {
            try (FakePacs a = new FakePacs(); FakePacs b = new FakePacs()) {
                List<Destination> destinations = List.of(
                        Destination.of("a", FakePacs.AE_TITLE, "127.0.0.1", a.port()),
                        Destination.of("b", FakePacs.AE_TITLE, "127.0.0.1", b.port()));
                Path outboxDir = base.resolve("run-" + crashAt);
                ManualClock clock = new ManualClock();
                Steps steps = new Steps(crashAt);
                StoreScu scu = new StoreScu();
                BiFunction<Destination, byte[], StoreResult> dyingSender = (d, bytes) -> {
                    StoreResult result = scu.store(d, bytes);
                    steps.step(d.name() + " answered " + result.outcome());
                    return result;
                };
                Outbox outbox = Outbox.open(outboxDir, destinations, OutboxTest.BACKOFF, new RecordingListener(),
                        clock, OutboxTest.HALF, steps, dyingSender);
                Map<String, MeasurementReport> acknowledged = new LinkedHashMap<>();
                MeasurementReport[] inFlight = {null};
                boolean died = false;
                try {
                    for (MeasurementReport report : List.of(first, second, firstAgain)) {
                        inFlight[0] = report;
                        outbox.submit(report);
                        acknowledged.put(report.sopInstanceUid(), report);
                        inFlight[0] = null;
                        outbox.deliverDue(destinations.get(0));
                    }
                    outbox.deliverDue();
                } catch (Crash crash) {
                    died = true;
                    crashes++;
                }

                Outbox restarted = Outbox.open(outboxDir, destinations, OutboxTest.BACKOFF, new RecordingListener(),
                        clock, OutboxTest.HALF, DurableDisk.SYSTEM, scu::store);
                for (int pass = 0; pass < 5 && !restarted.pendingSopInstanceUids().isEmpty(); pass++) {
                    restarted.deliverDue();
                    clock.advance(Duration.ofMinutes(1));
                }
                restarted.close();

                String where = "crash at step " + crashAt + " (" + steps.last + ")";
                assertEquals(List.of(), restarted.pendingSopInstanceUids(), where);
                assertEquals(List.of(), files(outboxDir), where + ": the outbox folder is left empty");
                for (FakePacs pacs : List.of(a, b)) {
                    Set<String> received = new HashSet<>(pacs.receivedSopInstanceUids());
                    assertTrue(received.containsAll(acknowledged.keySet()), where + ": lost " + acknowledged.keySet()
                            + " vs " + received);
                    assertTrue(submittable.containsAll(received), where + ": unknown report " + received);
                    for (MeasurementReport report : acknowledged.values()) {
                        byte[] last = lastDataset(pacs, report.sopInstanceUid());
                        // A submit cut short may or may not have replaced the content: either is right.
                        boolean cutShort = inFlight[0] != null
                                && inFlight[0].sopInstanceUid().equals(report.sopInstanceUid());
                        assertTrue(Arrays.equals(dataset(report), last)
                                || cutShort && Arrays.equals(dataset(inFlight[0]), last),
                                where + ": the receiver's last copy is the last acknowledged content");
                    }
                }
                if (!died) {
                    break;
                }
            }
        }
        if (!base.equals(dir)) {
            try (Stream<Path> runs = Files.list(base)) {
                for (Path run : runs.toList()) {
                    Files.delete(run);
                }
            }
            Files.delete(base);
        }
        assertTrue(crashes > 20, "only " + crashes + " crash points exercised");
        System.out.println("crash points exercised: " + crashes);
    }

    /** The disk and sender steps, counted; the n-th one kills the "process". */
    static final class Steps extends DurableDisk {
        private final int crashAt;
        private int count;
        String last = "";

        Steps(int crashAt) {
            this.crashAt = crashAt;
        }

        @Override
        public void step(String done) {
            last = done;
            if (++count == crashAt) {
                throw new Crash(done);
            }
        }
    }

    private static byte[] dataset(MeasurementReport report) {
        byte[] bytes = report.bytes();
        int offset = TestPart10.datasetOffset(bytes);
        return Arrays.copyOfRange(bytes, offset, bytes.length);
    }

    private static byte[] lastDataset(FakePacs pacs, String uid) {
        List<FakePacs.Received> copies = new ArrayList<>(pacs.received.stream()
                .filter(r -> r.sopInstanceUid().equals(uid)).toList());
        return copies.get(copies.size() - 1).dataset();
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
