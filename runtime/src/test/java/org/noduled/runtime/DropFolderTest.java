package org.noduled.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.dicom.series.SeriesAssembler;
import org.noduled.dicom.series.SeriesFiles;
import org.noduled.dicom.series.SeriesScanner;
import org.noduled.preprocess.CtVolume;

/** Series completion in the drop folder, driven poll by poll on a fake clock: no test sleeps. */
class DropFolderTest {

    private static final Duration IDLE = Duration.ofSeconds(5);

    @TempDir
    static Path phantoms;
    private static Path seriesA;
    private static Path seriesB;
    private static String uidA;
    private static String uidB;

    @TempDir
    Path drop;

    private final MutableClock clock = new MutableClock();
    private ExecutorService pool;
    private DropFolder folder;

    @BeforeAll
    static void twoSeries() throws IOException {
        seriesA = Fixtures.smallPhantom(phantoms.resolve("a"), 5, 1);
        seriesB = Fixtures.smallPhantom(phantoms.resolve("b"), 6, 1);
        uidA = new ObjectMapper().readTree(seriesA.resolve("truth.json").toFile()).get("seriesInstanceUid").asText();
        uidB = new ObjectMapper().readTree(seriesB.resolve("truth.json").toFile()).get("seriesInstanceUid").asText();
    }

    @BeforeEach
    void watch() {
        pool = IngestThreads.start(2);
        folder = new DropFolder(drop, IDLE, clock, new SeriesScanner(pool));
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void seriesWhoseFilesWereAllReleasedBySenders_isCompleteAtTheFirstPoll_beforeTheIdleTimeout() throws IOException {
        copySlices(seriesA, drop);
        folder.released(slices(drop));
        List<DropFolder.CompleteSeries> complete = poll(0);
        assertEquals(1, complete.size(), "its files came whole through a released association: no settling poll");
        assertEquals(uidA, complete.get(0).seriesInstanceUid());
        assertEquals(DropFolder.Completion.RELEASED, complete.get(0).completion());
        assertEquals(Duration.ZERO, complete.get(0).waitedAfterLast());
        assertEquals(complete.get(0).files(), complete.get(0).reusableHeaders().orElseThrow().files().stream()
                .sorted().toList(), "the headers read on arrival stand for the released files");
        for (Path f : complete.get(0).files()) {
            Files.delete(f); // processed, as Intake does
        }
        folder.forget(complete.get(0));

        copySlices(seriesB, drop.resolve("b"));
        assertEquals(List.of(), poll(100), "dropped files wait for their size to hold, then for the idle time");
        assertEquals(List.of(), poll(200));
        assertEquals(uidB, poll(5100).get(0).seriesInstanceUid());
    }

    @Test
    void seriesPartlyReleased_waitsForTheIdleTimeout() throws IOException {
        copySlices(seriesA, drop);
        List<Path> all = slices(drop);
        folder.released(all.subList(0, all.size() - 1));
        assertEquals(List.of(), poll(0), "one file came another way: it is new, so nothing is read yet");
        assertEquals(List.of(), poll(100), "one file came another way: the release does not cover the series");
        assertEquals(1, poll(5000).size());
    }

    @Test
    void aFileReplacedAfterItsHeaderWasRead_isNotTheProcessedOne() throws IOException {
        copySlices(seriesA, drop);
        folder.released(slices(drop));
        DropFolder.CompleteSeries complete = poll(0).get(0);
        Path replaced = complete.files().get(7);
        Path other = complete.files().get(8);
        Path copy = drop.resolve(".incoming");
        Files.copy(replaced, copy);
        Files.move(copy, replaced, StandardCopyOption.REPLACE_EXISTING); // a sender's resend
        assertFalse(folder.unchangedSinceRead(replaced), "a new file under the same name");
        assertTrue(folder.unchangedSinceRead(other));
    }

    @Test
    void aRelease_wakesTheWaitingIntakeAtOnce() throws Exception {
        long start = System.nanoTime();
        Thread releaser = new Thread(() -> folder.released(List.of(drop.resolve("x.dcm"))));
        releaser.start();
        folder.awaitActivity(Duration.ofSeconds(30));
        releaser.join();
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "woken by the release, not by the 30 s timeout");
    }

    @Test
    void seriesIsCompleteAfterTheIdleTimeoutWithoutNewFiles_notBefore() throws IOException {
        copySlices(seriesA, drop.resolve("a"));
        assertEquals(List.of(), poll(0), "new files are not read until their size holds");
        assertEquals(List.of(), poll(1000), "read, but quiet for 1 s only");
        assertEquals(List.of(), poll(4999));
        List<DropFolder.CompleteSeries> complete = folder.poll();
        assertEquals(List.of(), complete, "the idle time counts from when the last file appeared (t=0)");

        clock.set(5000);
        complete = folder.poll();
        assertEquals(1, complete.size());
        assertEquals(uidA, complete.get(0).seriesInstanceUid());
        assertEquals(DropFolder.Completion.IDLE, complete.get(0).completion());
        assertTrue(complete.get(0).reusableHeaders().isEmpty(), "dropped files are read again at load");
        assertEquals(Duration.ZERO, complete.get(0).arrivalSpan(), "every file appeared at t=0");
        assertEquals(IDLE, complete.get(0).waitedAfterLast());
        assertEquals(60, complete.get(0).files().size());
        assertEquals(List.of(), poll(6000), "handed out once");
    }

    @Test
    void aNewFileOfTheSeries_restartsItsIdleTime() throws IOException {
        List<Path> slices = slices(seriesA);
        copy(slices.subList(0, 30), drop);
        poll(0);
        poll(1000);
        clock.set(4000);
        copy(slices.subList(30, 60), drop);
        assertEquals(List.of(), poll(4000));
        assertEquals(List.of(), poll(5000), "t=5 s: 5 s after the first files but 1 s after the last");
        assertEquals(List.of(), poll(8999));
        List<DropFolder.CompleteSeries> complete = poll(9000);
        assertEquals(1, complete.size());
        assertEquals(60, complete.get(0).files().size(), "one series of every file");
        assertEquals(Duration.ofSeconds(4), complete.get(0).arrivalSpan(), "first files at 0 s, last at 4 s");
        assertEquals(Duration.ofSeconds(5), complete.get(0).waitedAfterLast());
    }

    @Test
    void twoSeries_eachCompletesOnItsOwnQuiet() throws IOException {
        copySlices(seriesA, drop.resolve("a"));
        poll(0);
        poll(1000);
        clock.set(3000);
        copySlices(seriesB, drop.resolve("b"));
        assertEquals(List.of(), poll(3000));
        List<DropFolder.CompleteSeries> atFive = poll(5000);
        assertEquals(List.of(uidA), atFive.stream().map(DropFolder.CompleteSeries::seriesInstanceUid).toList());
        folder.forget(atFive.get(0));
        assertEquals(List.of(), poll(7999));
        assertEquals(List.of(uidB), poll(8000).stream().map(DropFolder.CompleteSeries::seriesInstanceUid).toList());
    }

    @Test
    void aGrowingFile_holdsItsSeriesBack() throws IOException {
        copySlices(seriesA, drop.resolve("a"));
        Path growing = slices(drop.resolve("a")).get(0);
        byte[] whole = Files.readAllBytes(growing);
        Files.write(growing, java.util.Arrays.copyOf(whole, 1000));
        poll(0);
        poll(1000);
        clock.set(2000);
        Files.write(growing, whole);
        assertEquals(List.of(), poll(2000), "the file changed size: its header is read only once it holds");
        assertEquals(List.of(), poll(6999), "quiet counts from the last change");
        List<DropFolder.CompleteSeries> complete = poll(7000);
        assertEquals(1, complete.size());
        assertEquals(60, complete.get(0).files().size());
    }

    @Test
    void hiddenAndNonDicomFiles_neitherBlockNorJoinASeries() throws IOException {
        copySlices(seriesA, drop.resolve("a"));
        Files.writeString(drop.resolve("README.txt"), "not DICOM");
        Files.createDirectories(drop.resolve(".incoming"));
        Files.copy(slices(seriesB).get(0), drop.resolve(".incoming").resolve("partial.dcm"));
        Files.copy(slices(seriesB).get(1), drop.resolve(".part.dcm"));
        poll(0);
        poll(1000);
        List<DropFolder.CompleteSeries> complete = poll(6000);
        assertEquals(1, complete.size());
        assertEquals(60, complete.get(0).files().size());
        assertTrue(complete.get(0).files().stream().allMatch(f -> f.startsWith(drop.resolve("a"))));
    }

    @Test
    void aFileArrivingAfterItsSeriesWasHandedOut_makesTheSeriesCompleteAgainLater() throws IOException {
        List<Path> slices = slices(seriesA);
        copy(slices.subList(0, 59), drop);
        poll(0);
        poll(1000);
        List<DropFolder.CompleteSeries> first = poll(6000);
        assertEquals(59, first.get(0).files().size());
        clock.set(6500);
        copy(slices.subList(59, 60), drop);
        poll(6500);
        poll(7000);
        first.get(0).files().forEach(f -> f.toFile().delete());
        folder.forget(first.get(0));
        assertEquals(List.of(), poll(11_499));
        List<DropFolder.CompleteSeries> again = poll(11_500);
        assertEquals(1, again.size(), "5 s after the late file appeared");
        assertEquals(1, again.get(0).files().size());
    }

    @Test
    void pixelsOfFilesTheReceiverStoredWhole_areReadWhileTheSeriesArrives_andAssembledWithoutTheFiles() throws Exception {
        copySlices(seriesA, drop);
        List<Path> files = slices(drop);
        files.forEach(folder::stored);
        CtVolume expected = new SeriesAssembler(pool).assemble(
                new SeriesScanner(pool).scan(List.of(drop)).onlySeries()).volume();
        assertTrue(poll(0).isEmpty());
        assertTrue(poll(100).isEmpty(), "headers and pixels are read here, the association still open");
        for (Path f : files) { // were the pixels read again at completion, the volume would change
            Files.write(f, new byte[0]);
        }
        folder.released(files);
        List<DropFolder.CompleteSeries> complete = poll(200);
        SeriesFiles read = complete.get(0).reusableHeaders().orElseThrow();
        assertEquals((long) expected.geometry().slices() * expected.geometry().rows() * expected.geometry().columns() * 2,
                read.decodedBytes());
        CtVolume ahead = new SeriesAssembler(pool).assemble(read).volume();
        for (int k = 0; k < expected.geometry().slices(); k++) {
            assertArrayEquals(expected.sliceHu(k), ahead.sliceHu(k), "slice " + k);
        }
    }

    @Test
    void pixelsAreReadAheadOnlyForFilesStoredWhole_andOnlyUpToTheCap() throws IOException {
        DropFolder probe = folder;
        copySlices(DropFolderTest.seriesA, drop.resolve("a"));
        slices(drop.resolve("a")).forEach(probe::stored);
        probe.poll();
        clock.set(100);
        probe.poll();
        long seriesA = probe.heldAheadBytes(); // one series of the fixture, read ahead under the default cap
        assertTrue(seriesA > 0);

        Path capped = drop.resolve("capped");
        folder = new DropFolder(capped, IDLE, clock, new SeriesScanner(pool), seriesA);
        copySlices(DropFolderTest.seriesA, capped.resolve("a"));
        copySlices(DropFolderTest.seriesA, capped.resolve("a-by-hand")); // copies put there by hand: never read ahead
        slices(capped.resolve("a")).forEach(folder::stored);
        poll(200);
        poll(300);
        assertEquals(seriesA, folder.heldAheadBytes(), "only the stored-whole copy of series A");
        copySlices(DropFolderTest.seriesB, capped.resolve("b"));
        slices(capped.resolve("b")).forEach(folder::stored); // stored whole before its headers are read
        poll(400);
        poll(500);
        assertEquals(seriesA, folder.heldAheadBytes(), "the cap, reached by series A, keeps series B's pixels unread");
    }

    @Test
    void filesNotStoredWholeByTheReceiver_areNotReadAhead() throws IOException {
        copySlices(seriesA, drop);
        poll(0);
        poll(100);
        assertEquals(0, folder.heldAheadBytes());
    }

    @Test
    void filesVanishingDuringTheWalk_neverHideTheFilesStillThere() throws Exception {
        copySlices(seriesA, drop);
        int expected = slices(drop).size();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread churn = new Thread(() -> { // the receiver's way: a hidden temporary file renamed into place
            int i = 0;
            while (!stop.get()) {
                try {
                    Path tmp = drop.resolve(".tmp-" + i);
                    Files.write(tmp, new byte[1]);
                    Path target = drop.resolve("churn-" + (i++ % 4) + ".part");
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    Files.deleteIfExists(target);
                } catch (IOException e) {
                    // the walk may hold the folder; try again
                }
            }
        });
        churn.start();
        try {
            for (int walk = 0; walk < 300; walk++) {
                long found = folder.presentFiles().stream().filter(f -> f.toString().endsWith(".dcm")).count();
                assertEquals(expected, found, "walk " + walk);
            }
        } finally {
            stop.set(true);
            churn.join();
        }
    }

    private List<DropFolder.CompleteSeries> poll(long millis) throws IOException {
        clock.set(millis);
        return folder.poll();
    }

    private static List<Path> slices(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        }
    }

    private static void copySlices(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        copy(slices(from), to);
    }

    private static void copy(List<Path> files, Path to) throws IOException {
        for (Path f : files) {
            Files.copy(f, to.resolve(f.getFileName()));
        }
    }

    /** A clock the test sets, in milliseconds from an arbitrary start. */
    static final class MutableClock extends Clock {
        private static final Instant START = Instant.parse("2024-01-01T08:00:00Z");
        private volatile Instant now = START;

        void set(long millis) {
            now = START.plusMillis(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
