package org.noduled.dicom.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.noduled.dicom.series.TextAssertions.assertContains;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.dicom.DicomException;
import org.noduled.preprocess.CtVolume;

class SeriesScannerTest {

    @TempDir
    Path dir;

    @Test
    void seriesFilesOf_partsScannedAsTheyArrived_loadLikeOneScanOfTheWholeSeries() throws Exception {
        Path first = Files.createDirectories(dir.resolve("first"));
        Path later = Files.createDirectories(dir.resolve("later"));
        for (int k = 0; k < 6; k++) {
            TestSlice.at(k, k + 1).writeInto(k < 4 ? first : later);
        }
        SeriesFiles partOne = Ingest.scan(first).onlySeries();
        SeriesFiles partTwo = Ingest.scan(later).onlySeries();
        List<Path> all = new java.util.ArrayList<>(partOne.files());
        all.addAll(partTwo.files());

        SeriesFiles combined = SeriesFiles.of(List.of(partOne, partTwo), all);
        assertEquals(6, combined.fileCount());
        IngestedSeries loaded = new SeriesAssembler(Ingest.POOL).assemble(combined);
        assertEquals(6, loaded.volume().geometry().slices());
        assertThrows(IllegalArgumentException.class, () -> SeriesFiles.of(List.of(partOne), all),
                "a file no scan read");
    }

    @Test
    void scan_twoSeriesInOneFolder_separatesThemByUid() throws Exception {
        Ingest.writeStack(dir, 3, 0, 1);
        for (int n = 1; n <= 2; n++) {
            TestSlice other = TestSlice.at(n, 100 + n);
            other.seriesUid = TestSlice.ROOT + ".55";
            other.writeInto(dir);
        }
        FolderScan scan = Ingest.scan(dir);
        assertEquals(2, scan.series().size());
        assertEquals(3, scan.series().stream().filter(s -> s.seriesInstanceUid().equals(TestSlice.ROOT + ".1"))
                .findFirst().orElseThrow().fileCount());
        assertEquals(2, scan.series().stream().filter(s -> s.seriesInstanceUid().equals(TestSlice.ROOT + ".55"))
                .findFirst().orElseThrow().fileCount());
        assertContains(assertThrows(DicomException.class, scan::onlySeries).getMessage(),
                "expected one series but found 2");
    }

    @Test
    void scan_nestedFoldersAndLooseFiles_areAllRead() throws Exception {
        Path nested = Files.createDirectories(dir.resolve("a/b"));
        Ingest.writeStack(nested, 2, 0, 1);
        Path loose = TestSlice.at(2, 3).write(Files.createTempFile(dir.getParent(), "loose", ".dcm"));
        try {
            FolderScan scan = Ingest.scan(dir, loose);
            assertEquals(3, scan.onlySeries().fileCount());
        } finally {
            Files.delete(loose);
        }
    }

    @Test
    void scan_fileThatIsNotDicom_isSkippedNotDamaged() throws Exception {
        Ingest.writeStack(dir, 2, 0, 1);
        Files.writeString(dir.resolve("README.txt"), "Exported by the PACS. ".repeat(20));
        Files.write(dir.resolve("empty"), new byte[0]);
        FolderScan scan = Ingest.scan(dir);
        assertEquals(2, scan.onlySeries().fileCount());
        assertEquals(2, scan.skipped().size());
        for (SkippedFile skipped : scan.skipped()) {
            assertFalse(skipped.damaged());
            assertContains(skipped.reason(), "not a DICOM Part 10 file");
        }
    }

    @Test
    void scan_dicomdir_isSkippedAsAnIndex() throws Exception {
        Ingest.writeStack(dir, 2, 0, 1);
        AttributeList dicomdir = new AttributeList();
        Attribute set = AttributeFactory.newAttribute(TagFromName.FileSetID);
        set.addValue("NODULED");
        dicomdir.put(set);
        FileMetaInformation.addFileMetaInformation(dicomdir, SOPClass.MediaStorageDirectoryStorage,
                TestSlice.ROOT + ".9", TransferSyntax.ExplicitVRLittleEndian, "NODULEDTEST");
        dicomdir.write(dir.resolve("DICOMDIR").toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        FolderScan scan = Ingest.scan(dir);
        assertEquals(2, scan.onlySeries().fileCount());
        assertEquals(1, scan.skipped().size());
        assertFalse(scan.skipped().get(0).damaged());
        assertContains(scan.skipped().get(0).reason(), "DICOMDIR");
    }

    @Test
    void scan_corruptHeader_isSkippedAsDamagedAndTheSeriesIsNotTakenAsComplete() throws Exception {
        Ingest.writeStack(dir, 3, 0, 1);
        Path file = TestSlice.at(3, 4).writeInto(dir);
        byte[] bytes = Files.readAllBytes(file);
        Random random = new Random(7);
        for (int i = 200; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt();
        }
        Files.write(file, bytes);
        FolderScan scan = Ingest.scan(dir);
        assertEquals(1, scan.skipped().size());
        assertTrue(scan.skipped().get(0).damaged());
        assertContains(scan.skipped().get(0).reason(), file.getFileName().toString(), "corrupt");
        assertContains(assertThrows(DicomException.class, scan::onlySeries).getMessage(),
                "1 file(s) could not be read, so the series may be incomplete");
    }

    @Test
    void scan_fileTruncatedInsideItsHeader_isSkippedAsDamaged() throws Exception {
        Ingest.writeStack(dir, 2, 0, 1);
        Path file = TestSlice.at(2, 3).writeInto(dir);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, 300));
        FolderScan scan = Ingest.scan(dir);
        assertEquals(1, scan.skipped().size());
        assertTrue(scan.skipped().get(0).damaged());
        assertContains(scan.skipped().get(0).reason(), file.getFileName().toString(), "resend it");
    }

    @Test
    void scan_missingFolder_failsNamingIt() {
        Path missing = dir.resolve("nope");
        assertContains(assertThrows(NoSuchFileException.class, () -> Ingest.scan(missing)).getMessage(), "nope");
    }

    @Test
    void load_headerLongerThanTheFirstRead_isParsedFromTheFile() throws Exception {
        for (int n = 1; n <= 2; n++) {
            TestSlice s = TestSlice.at(n, n);
            Attribute creator = AttributeFactory.newAttribute(new AttributeTag(0x0029, 0x0010));
            creator.addValue("NODULED TEST");
            OtherByteAttribute block = new OtherByteAttribute(new AttributeTag(0x0029, 0x1010));
            block.setValues(new byte[200_000]);
            s.extra.add(creator);
            s.extra.add(block);
            s.writeInto(dir);
        }
        CtVolume volume = Ingest.load(dir).volume();
        assertEquals(TestSlice.expectedHu(3, 4, 2), volume.hu(3, 4, 1));
    }

    @Test
    void load_iconImageWithItsOwnPixelData_readsTheImagesPixels() throws Exception {
        for (int n = 1; n <= 2; n++) {
            TestSlice s = TestSlice.at(n, n);
            SequenceAttribute icons = new SequenceAttribute(TagFromName.IconImageSequence);
            AttributeList icon = new AttributeList();
            OtherWordAttribute iconPixels = new OtherWordAttribute(TagFromName.PixelData);
            iconPixels.setValues(new short[] {9, 9, 9, 9});
            icon.put(iconPixels);
            icons.addItem(icon);
            s.extra.add(icons);
            s.writeInto(dir);
        }
        CtVolume volume = Ingest.load(dir).volume();
        assertEquals(TestSlice.expectedHu(0, 0, 1), volume.hu(0, 0, 0));
        assertEquals(TestSlice.expectedHu(15, 15, 2), volume.hu(15, 15, 1));
    }

    @Test
    void readHeader_explicitAndImplicit_findThePixelDataOffset() throws Exception {
        for (String syntax : new String[] {TransferSyntax.ExplicitVRLittleEndian,
                TransferSyntax.ImplicitVRLittleEndian}) {
            TestSlice s = TestSlice.at(0, 1);
            s.transferSyntax = syntax;
            Path file = s.write(dir.resolve(syntax + ".dcm"));
            PixelDataLocation at = SliceHeaderReader.read(file).pixelData();
            // Pixel data is the last element: its 512 bytes end the file.
            assertEquals(512, at.lengthBytes(), syntax);
            assertEquals(Files.size(file) - 512, at.offsetBytes(), syntax);
        }
    }
}
