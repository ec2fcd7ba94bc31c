package org.noduled.dicom.outbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.DurableDisk;
import org.noduled.dicom.net.Destination;
import org.noduled.dicom.net.FakePacs;
import org.noduled.dicom.net.StoreScu;
import org.noduled.dicom.net.TestPart10;
import org.noduled.dicom.sr.MeasurementReport;
import org.noduled.dicom.sr.SrFixtures;

/** The outbox driven pass by pass with a manual clock: no threads, no sleeping. */
class OutboxTest {

    /** nextDouble() = 0.5: every jittered delay is exactly 3/4 of its base. */
    static final RandomGenerator HALF = () -> Long.MIN_VALUE;
    static final OutboxBackoff BACKOFF = new OutboxBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock();
    final RecordingListener listener = new RecordingListener();
    final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    FakePacs pacs() throws IOException {
        FakePacs pacs = new FakePacs();
        closeAfter.add(pacs);
        return pacs;
    }

    Outbox open(DurableDisk disk, Destination... destinations) throws Exception {
        StoreScu scu = new StoreScu();
        Outbox outbox = Outbox.open(dir.resolve("outbox"), List.of(destinations), BACKOFF, listener, clock, HALF,
                disk, scu::store);
        closeAfter.add(outbox);
        return outbox;
    }

    Outbox open(Destination... destinations) throws Exception {
        return open(DurableDisk.SYSTEM, destinations);
    }

    List<String> outboxFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("outbox"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void submit_reportIsOnDiskBeforeAnythingIsSent() throws Exception {
        FakePacs pacs = pacs();
        List<String> diskSteps = new ArrayList<>();
        DurableDisk recording = new DurableDisk() {
            @Override
            public void writeAtomically(Path target, byte[] bytes) throws IOException {
                super.writeAtomically(target, bytes);
                diskSteps.add("wrote " + target.getFileName() + " (" + pacs.associations.get() + " associations)");
            }
        };
        Outbox outbox = open(recording, pacs.destination());
        MeasurementReport report = SrFixtures.report(1);

        outbox.submit(report);

        assertEquals(List.of("wrote " + report.sopInstanceUid() + ".dcm (0 associations)"), diskSteps);
        assertArrayEquals(report.bytes(), Files.readAllBytes(dir.resolve("outbox/" + report.sopInstanceUid()
                + ".dcm")));
        assertEquals(List.of(report.sopInstanceUid()), outbox.pendingSopInstanceUids());
        assertEquals(0, pacs.associations.get());
    }

    @Test
    void deliverDue_success_removesTheReportAndItsMarksFromTheOutbox() throws Exception {
        FakePacs pacs = pacs();
        Outbox outbox = open(pacs.destination());
        MeasurementReport report = SrFixtures.report(1);
        outbox.submit(report);

        outbox.deliverDue();

        assertEquals(List.of(report.sopInstanceUid()), pacs.receivedSopInstanceUids());
        assertEquals(List.of(), outbox.pendingSopInstanceUids());
        assertEquals(List.of(), outboxFiles());
        assertEquals(List.of(report.sopInstanceUid()), listener.completed);
    }

    @Test
    void deliverDue_failureStatus_keepsTheReportUntilAnAttemptSucceeds() throws Exception {
        FakePacs pacs = pacs();
        pacs.status = 0xA700;
        Outbox outbox = open(pacs.destination());
        MeasurementReport report = SrFixtures.report(1);
        outbox.submit(report);

        outbox.deliverDue();

        assertEquals(List.of(report.sopInstanceUid()), outbox.pendingSopInstanceUids());
        assertEquals(List.of(report.sopInstanceUid() + ".dcm"), outboxFiles());
        RecordingListener.Failure failure = listener.failures.get(0);
        assertTrue(failure.refused());
        assertTrue(failure.problem().contains("0xA700 (out of resources"), failure.problem());

        pacs.status = 0x0000;
        outbox.deliverDue();
        assertEquals(1, pacs.associations.get(), "nothing is sent again before the backoff has passed");

        clock.advance(failure.retryIn());
        outbox.deliverDue();
        assertEquals(List.of(report.sopInstanceUid()), pacs.receivedSopInstanceUids());
        assertEquals(List.of(), outboxFiles());
    }

    @Test
    void destinationDown_retriesWithExponentialBackoffAndJitterUntilItAnswers() throws Exception {
        FakePacs pacs = pacs();
        pacs.behaviour = FakePacs.Behaviour.HANG_UP;
        Outbox outbox = open(pacs.destination());
        outbox.submit(SrFixtures.report(1));

        for (int attempt = 1; attempt <= 8; attempt++) {
            outbox.deliverDue();
            assertEquals(attempt, pacs.associations.get());
            Duration retryIn = listener.failures.get(attempt - 1).retryIn();
            clock.advance(retryIn.minusMillis(1));
            outbox.deliverDue();
            assertEquals(attempt, pacs.associations.get(), "attempt " + attempt + ": retried before its time");
            clock.advance(Duration.ofMillis(1));
        }
        // base 1, 2, 4, ... s capped at 60 s; with the random draw at 0.5 the wait is 3/4 of the base
        assertEquals(List.of(750L, 1500L, 3000L, 6000L, 12000L, 24000L, 45000L, 45000L),
                listener.retryDelays().stream().map(Duration::toMillis).toList());
        assertTrue(listener.failures.stream().noneMatch(RecordingListener.Failure::refused));

        pacs.behaviour = FakePacs.Behaviour.ANSWER;
        outbox.deliverDue();
        assertEquals(1, pacs.received.size());
        assertEquals(List.of(), outbox.pendingSopInstanceUids());
    }

    @Test
    void twoDestinations_eachGetsTheReportOnceWhileTheOtherIsDown() throws Exception {
        FakePacs up = pacs();
        FakePacs down = pacs();
        down.behaviour = FakePacs.Behaviour.HANG_UP;
        Destination a = Destination.of("a", FakePacs.AE_TITLE, "127.0.0.1", up.port());
        Destination b = Destination.of("b", FakePacs.AE_TITLE, "127.0.0.1", down.port());
        Outbox outbox = open(a, b);
        MeasurementReport report = SrFixtures.report(1);
        outbox.submit(report);

        outbox.deliverDue();
        assertEquals(1, up.received.size());
        assertEquals(List.of(report.sopInstanceUid() + ".dcm", report.sopInstanceUid() + "@a.delivered"),
                outboxFiles());

        down.behaviour = FakePacs.Behaviour.ANSWER;
        clock.advance(Duration.ofMinutes(1));
        outbox.deliverDue();
        outbox.deliverDue();

        assertEquals(1, up.received.size(), "a already had it: not sent twice");
        assertEquals(List.of(report.sopInstanceUid()), down.receivedSopInstanceUids());
        assertEquals(List.of(), outboxFiles());
    }

    @Test
    void reopen_afterAPartialDelivery_sendsOnlyToTheDestinationsStillMissing() throws Exception {
        FakePacs up = pacs();
        FakePacs down = pacs();
        down.behaviour = FakePacs.Behaviour.HANG_UP;
        Destination a = Destination.of("a", FakePacs.AE_TITLE, "127.0.0.1", up.port());
        Destination b = Destination.of("b", FakePacs.AE_TITLE, "127.0.0.1", down.port());
        Outbox first = open(a, b);
        MeasurementReport report = SrFixtures.report(1);
        first.submit(report);
        first.deliverDue();
        first.close();

        down.behaviour = FakePacs.Behaviour.ANSWER;
        Outbox second = open(a, b);
        assertEquals(List.of(report.sopInstanceUid()), second.pendingSopInstanceUids());
        second.deliverDue();

        assertEquals(1, up.received.size());
        assertEquals(List.of(report.sopInstanceUid()), down.receivedSopInstanceUids());
        assertEquals(List.of(), outboxFiles());
    }

    @Test
    void resubmit_sameSeriesAndModel_replacesThePendingReportAndSendsItEverywhereAgain() throws Exception {
        FakePacs up = pacs();
        FakePacs down = pacs();
        down.behaviour = FakePacs.Behaviour.HANG_UP;
        Destination a = Destination.of("a", FakePacs.AE_TITLE, "127.0.0.1", up.port());
        Destination b = Destination.of("b", FakePacs.AE_TITLE, "127.0.0.1", down.port());
        Outbox outbox = open(a, b);
        MeasurementReport before = SrFixtures.report(1);
        outbox.submit(before);
        outbox.deliverDue();

        MeasurementReport after = SrFixtures.report(3); // same series and model: same UID, new content
        outbox.submit(after);
        assertEquals(List.of(after.sopInstanceUid() + ".dcm"), outboxFiles(), "old delivery marks are gone");
        down.behaviour = FakePacs.Behaviour.ANSWER;
        clock.advance(Duration.ofMinutes(1));
        outbox.deliverDue();

        assertEquals(before.sopInstanceUid(), after.sopInstanceUid());
        assertEquals(2, up.received.size(), "a gets the new content under the same UID");
        assertEquals(Stream.of(up, down).map(p -> p.received.get(p.received.size() - 1).dataset().length).toList(),
                List.of(datasetLength(after), datasetLength(after)));
        assertEquals(List.of(), outboxFiles());
    }

    @Test
    void oneRefusedReport_doesNotHoldBackTheOthers() throws Exception {
        FakePacs pacs = pacs();
        Outbox outbox = open(pacs.destination());
        MeasurementReport poisoned = SrFixtures.reportOnSeries(1);
        MeasurementReport fine = SrFixtures.reportOnSeries(2);
        pacs.refusedSopInstanceUids.add(poisoned.sopInstanceUid());
        outbox.submit(poisoned);
        outbox.submit(fine);

        outbox.deliverDue();

        assertEquals(List.of(fine.sopInstanceUid()), pacs.receivedSopInstanceUids());
        assertEquals(List.of(poisoned.sopInstanceUid()), outbox.pendingSopInstanceUids());
        assertTrue(listener.failures.get(0).problem().contains("0xA900"), listener.failures.get(0).problem());
    }

    @Test
    void submit_diskFull_isRefusedWithAnActionableMessageAndTheOutboxKeepsServing() throws Exception {
        FakePacs pacs = pacs();
        boolean[] full = {false};
        DurableDisk disk = new DurableDisk() {
            @Override
            public void writeAtomically(Path target, byte[] bytes) throws IOException {
                if (full[0]) {
                    throw new IOException("No space left on device");
                }
                super.writeAtomically(target, bytes);
            }
        };
        Outbox outbox = open(disk, pacs.destination());
        MeasurementReport queued = SrFixtures.reportOnSeries(1);
        outbox.submit(queued);

        full[0] = true;
        MeasurementReport refused = SrFixtures.reportOnSeries(2);
        DicomException e = assertThrows(DicomException.class, () -> outbox.submit(refused));
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertTrue(e.getMessage().contains("Free disk space"), e.getMessage());
        assertEquals(List.of(queued.sopInstanceUid()), outbox.pendingSopInstanceUids());
        assertEquals(List.of(queued.sopInstanceUid() + ".dcm"), outboxFiles(), "no temporary file left behind");

        full[0] = false;
        outbox.deliverDue();
        assertEquals(List.of(queued.sopInstanceUid()), pacs.receivedSopInstanceUids());
        outbox.submit(refused);
        outbox.deliverDue();
        assertEquals(List.of(queued.sopInstanceUid(), refused.sopInstanceUid()), pacs.receivedSopInstanceUids());
    }

    @Test
    void submit_onAFullFilesystem_isRefusedAndQueuedReportsAreKept() throws Exception {
        Path mount = Tmpfs.mount(dir.resolve("tiny"), "64k");
        try {
            FakePacs pacs = pacs();
            StoreScu scu = new StoreScu();
            Outbox outbox = Outbox.open(mount.resolve("outbox"), List.of(pacs.destination()), BACKOFF, listener,
                    clock, HALF, DurableDisk.SYSTEM, scu::store);
            closeAfter.add(outbox);
            MeasurementReport queued = SrFixtures.reportOnSeries(1);
            outbox.submit(queued);
            Path filler = mount.resolve("filler");
            Tmpfs.fill(filler);

            MeasurementReport refused = SrFixtures.reportOnSeries(2);
            DicomException e = assertThrows(DicomException.class, () -> outbox.submit(refused));
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertEquals(List.of(queued.sopInstanceUid()), outbox.pendingSopInstanceUids());

            outbox.deliverDue();
            assertEquals(List.of(queued.sopInstanceUid()), pacs.receivedSopInstanceUids());
            Files.delete(filler);
            outbox.submit(refused);
            outbox.deliverDue();
            assertEquals(2, pacs.received.size());
        } finally {
            Tmpfs.unmount(mount);
        }
    }

    @Test
    void open_dropsInterruptedWritesAndMarksWithoutAReport() throws Exception {
        FakePacs pacs = pacs();
        Path outboxDir = Files.createDirectories(dir.resolve("outbox"));
        Files.write(outboxDir.resolve(DurableDisk.TEMP_PREFIX + "1234-2.25.1.dcm"), new byte[] {1, 2, 3});
        Files.write(outboxDir.resolve("2.25.99@fake.delivered"), new byte[0]);
        MeasurementReport report = SrFixtures.report(1);
        Files.write(outboxDir.resolve(report.sopInstanceUid() + ".dcm"), report.bytes());

        Outbox outbox = open(pacs.destination());

        assertEquals(List.of(report.sopInstanceUid()), outbox.pendingSopInstanceUids());
        assertEquals(List.of(report.sopInstanceUid() + ".dcm"), outboxFiles());
        outbox.deliverDue();
        assertEquals(List.of(report.sopInstanceUid()), pacs.receivedSopInstanceUids());
    }

    @Test
    void open_reportMarkedForEveryDestination_leavesWithoutBeingSentAgain() throws Exception {
        FakePacs pacs = pacs();
        Path outboxDir = Files.createDirectories(dir.resolve("outbox"));
        MeasurementReport report = SrFixtures.report(1);
        Files.write(outboxDir.resolve(report.sopInstanceUid() + ".dcm"), report.bytes());
        Files.write(outboxDir.resolve(report.sopInstanceUid() + "@fake.delivered"), new byte[0]);

        Outbox outbox = open(pacs.destination());
        outbox.deliverDue();

        assertEquals(List.of(), outbox.pendingSopInstanceUids());
        assertEquals(List.of(), outboxFiles());
        assertEquals(0, pacs.associations.get());
    }

    @Test
    void submit_afterClose_isRefused() throws Exception {
        Outbox outbox = open(pacs().destination());
        outbox.close();
        assertThrows(DicomException.class, () -> outbox.submit(SrFixtures.report(0)));
    }

    @Test
    void open_destinationsWithTheSameName_isRefused() throws Exception {
        Destination d = pacs().destination();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> open(d, d));
        assertTrue(e.getMessage().contains("'fake'"), e.getMessage());
    }

    private static int datasetLength(MeasurementReport report) {
        return report.sizeBytes() - TestPart10.datasetOffset(report.bytes());
    }
}
