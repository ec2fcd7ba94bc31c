package org.noduled.dicom.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.noduled.dicom.series.TextAssertions.assertContains;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.dicom.DicomException;
import org.noduled.preprocess.CtVolume;

/** Pixels read while a series arrives (SeriesFiles.decodeAhead) and taken by the assembler as they are. */
class DecodeAheadTest {

    /** One 16x16 test slice, in bytes of 16-bit pixels. */
    private static final int SLICE_BYTES = 16 * 16 * 2;

    @TempDir
    Path dir;

    private static void assertSameHu(CtVolume expected, CtVolume actual) {
        assertEquals(expected.geometry(), actual.geometry());
        for (int k = 0; k < expected.geometry().slices(); k++) {
            assertArrayEquals(expected.sliceHu(k), actual.sliceHu(k), "slice " + k);
        }
    }

    @Test
    void assemble_takesPixelsDecodedAhead_withoutReadingTheFilesAgain() throws Exception {
        Ingest.writeStack(dir, 4, -40, 2.0);
        CtVolume fromFiles = Ingest.load(dir).volume();
        SeriesFiles series = Ingest.scan(dir).onlySeries();
        assertEquals(4L * SLICE_BYTES, series.decodeAhead(series.files(), Long.MAX_VALUE));
        for (Path f : series.files()) { // what a file holds now no longer matters
            Files.write(f, new byte[SLICE_BYTES], StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }
        assertSameHu(fromFiles, new SeriesAssembler(Ingest.POOL).assemble(series).volume());
    }

    @Test
    void assemble_readsWhatWasNotDecodedAhead_andReportsItsProblems() throws Exception {
        Ingest.writeStack(dir, 4, -40, 2.0);
        SeriesFiles series = Ingest.scan(dir).onlySeries();
        List<Path> files = series.files();
        series.decodeAhead(files.subList(0, 2), Long.MAX_VALUE);
        assertEquals(2L * SLICE_BYTES, series.decodedBytes());
        Path late = files.get(3);
        Files.write(late, new byte[200], StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        String refusal = assertThrows(DicomException.class,
                () -> new SeriesAssembler(Ingest.POOL).assemble(series)).getMessage();
        assertContains(refusal, late.getFileName().toString());
    }

    @Test
    void assemble_mixesPixelsDecodedAheadWithPixelsReadNow_inSliceOrder() throws Exception {
        Ingest.writeStack(dir, 6, -40, 2.0);
        CtVolume fromFiles = Ingest.load(dir).volume();
        SeriesFiles series = Ingest.scan(dir).onlySeries();
        List<Path> files = series.files();
        series.decodeAhead(List.of(files.get(4), files.get(1), files.get(2)), Long.MAX_VALUE);
        assertSameHu(fromFiles, new SeriesAssembler(Ingest.POOL).assemble(series).volume());
    }

    @Test
    void decodeAhead_stopsAtItsByteLimit_fileByFile() throws Exception {
        Ingest.writeStack(dir, 4, -40, 2.0);
        SeriesFiles series = Ingest.scan(dir).onlySeries();
        assertEquals(2L * SLICE_BYTES, series.decodeAhead(series.files(), SLICE_BYTES + 1));
        series.dropDecoded();
        assertEquals(0, series.decodedBytes());
    }

    @Test
    void decodeAhead_skipsAFileItCannotRead_andLeavesItToTheAssembler() throws Exception {
        Ingest.writeStack(dir, 3, -40, 2.0);
        SeriesFiles series = Ingest.scan(dir).onlySeries();
        Path broken = series.files().get(1);
        Files.write(broken, new byte[200], StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        assertEquals(2L * SLICE_BYTES, series.decodeAhead(series.files(), Long.MAX_VALUE));
        assertEquals(0, series.decodeAhead(series.files(), Long.MAX_VALUE), "decoded files are not decoded twice");
    }

    @Test
    void seriesMadeOfEarlierScans_takesPixelsOnlyFromTheScanWhoseHeaderItKeeps() throws Exception {
        Ingest.writeStack(dir, 3, -40, 2.0);
        SeriesFiles decodedScan = Ingest.scan(dir).onlySeries();
        decodedScan.decodeAhead(decodedScan.files(), Long.MAX_VALUE);
        SeriesFiles laterScan = Ingest.scan(dir).onlySeries(); // the same files read again, nothing decoded
        // of() keeps the last part's header for a file read twice
        assertEquals(0, SeriesFiles.of(List.of(decodedScan, laterScan), decodedScan.files()).decodedBytes());
        assertEquals(3L * SLICE_BYTES,
                SeriesFiles.of(List.of(laterScan, decodedScan), decodedScan.files()).decodedBytes());
    }

    @Test
    void seriesMadeOfEarlierScans_keepsTheirDecodedPixels() throws Exception {
        Ingest.writeStack(dir, 4, -40, 2.0);
        SeriesFiles scanned = Ingest.scan(dir).onlySeries();
        scanned.decodeAhead(scanned.files(), Long.MAX_VALUE);
        SeriesFiles rebuilt = SeriesFiles.of(List.of(scanned), scanned.files().subList(0, 3));
        assertEquals(3L * SLICE_BYTES, rebuilt.decodedBytes());
    }
}
