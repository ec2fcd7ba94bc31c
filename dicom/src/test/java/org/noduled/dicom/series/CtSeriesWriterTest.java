package org.noduled.dicom.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.dicom.DicomException;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.VolumeGeometry;
import org.noduled.preprocess.phantom.Phantom;
import org.noduled.preprocess.phantom.PhantomSpec;

class CtSeriesWriterTest {

    static final String STUDY_UID = "2.25.1.1";

    static CtSeriesHeader header() {
        return new CtSeriesHeader("PHANTOM^TEST", "PH-T", LocalDate.of(1960, 5, 4), "O", STUDY_UID, "7", "A7",
                "CT CHEST", LocalDateTime.of(2024, 3, 2, 10, 11, 12), 3, "test series", "noduled", "model",
                "STATION", "institution", "synthetic, not for clinical use");
    }

    private static AttributeList read(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toString());
        return list;
    }

    @Test
    void writtenSeries_readsBackWithTheSameHuGeometryAndUids(@TempDir Path dir) throws Exception {
        CtVolume volume = Phantom.plan(PhantomSpec.defaults(9).withGrid(64, 48, 12, 5.6, 10)).render(2).volume();
        VolumeGeometry g = volume.geometry();
        List<Path> files = new CtSeriesWriter(2).write(volume, header(), dir);
        assertEquals(12, files.size());
        try (var listing = Files.list(dir)) {
            assertEquals(12, listing.count());
        }
        Map<String, Integer> sliceOfUid = new HashMap<>();
        for (int k = 0; k < g.slices(); k++) {
            sliceOfUid.put(volume.sliceInstanceUids().get(k), k);
        }
        Set<String> seen = new HashSet<>();
        for (Path file : files) {
            AttributeList list = read(file);
            String sop = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID);
            assertTrue(seen.add(sop), "duplicate SOP Instance UID " + sop);
            int k = sliceOfUid.get(sop);
            assertEquals(TransferSyntax.ExplicitVRLittleEndian,
                    Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID));
            assertEquals(SOPClass.CTImageStorage, Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID));
            assertEquals("CT", Attribute.getSingleStringValueOrEmptyString(list, TagFromName.Modality));
            assertEquals(volume.seriesInstanceUid(),
                    Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesInstanceUID));
            assertEquals(volume.frameOfReferenceUid(),
                    Attribute.getSingleStringValueOrEmptyString(list, TagFromName.FrameOfReferenceUID));
            assertEquals(STUDY_UID, Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID));
            assertEquals("PHANTOM^TEST", Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientName));
            assertEquals(g.slices() - k, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.InstanceNumber, -1));
            assertEquals(64, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, -1));
            assertEquals(48, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, -1));
            assertArrayEquals(new double[] {5.6, 5.6},
                    Attribute.getDoubleValues(list, TagFromName.PixelSpacing), 1e-9);
            assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0},
                    Attribute.getDoubleValues(list, TagFromName.ImageOrientationPatient), 1e-9);
            Vec3 position = g.slicePositionMm(k);
            assertArrayEquals(position.toArray(), Attribute.getDoubleValues(list, TagFromName.ImagePositionPatient), 1e-6);
            double slope = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 0);
            double intercept = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0);
            short[] stored = list.get(TagFromName.PixelData).getShortValues();
            short[] hu = volume.sliceHu(k);
            for (int p = 0; p < hu.length; p++) {
                assertEquals(hu[p], (stored[p] & 0xFFFF) * slope + intercept, 0, "slice " + k + " pixel " + p);
            }
        }
    }

    @Test
    void neitherFileNamesNorInstanceNumbers_sortAlongZ(@TempDir Path dir) throws Exception {
        CtVolume volume = Phantom.plan(PhantomSpec.defaults(9).withGrid(36, 36, 12, 10, 10).withNodules(0, 0))
                .render(1).volume();
        List<Path> files = new CtSeriesWriter(1).write(volume, header(), dir);
        List<Path> byName = new ArrayList<>(files);
        byName.sort(null);
        assertNotEquals(files, byName, "file names sort like slice positions");
        List<Path> reversed = new ArrayList<>(files);
        java.util.Collections.reverse(reversed);
        assertNotEquals(reversed, byName, "file names sort like reversed slice positions");
        int first = Attribute.getSingleIntegerValueOrDefault(read(files.get(0)), TagFromName.InstanceNumber, -1);
        int last = Attribute.getSingleIntegerValueOrDefault(read(files.get(11)), TagFromName.InstanceNumber, -1);
        assertTrue(first > last, "instance numbers run against z");
    }

    @Test
    void huAboveTwelveBits_isStoredInSixteen_andHuBelowTheIntercept_isRefused(@TempDir Path dir) throws Exception {
        VolumeGeometry g = VolumeGeometry.axial(4, 4, 2, Vec3.ZERO, new Vec3(1, 1, 1));
        short[][] slices = {new short[16], new short[16]};
        slices[1][5] = 4000;
        CtVolume bright = new CtVolume("2.25.9", "2.25.10", g, slices, List.of("2.25.11", "2.25.12"));
        List<Path> files = new CtSeriesWriter(1).write(bright, header(), dir.resolve("bright"));
        AttributeList list = read(files.get(1));
        assertEquals(16, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, -1));
        assertEquals(4000 + 1024, list.get(TagFromName.PixelData).getShortValues()[5] & 0xFFFF);

        slices[0][0] = -2000;
        CtVolume dark = new CtVolume("2.25.9", "2.25.10", g, slices, List.of("2.25.11", "2.25.12"));
        DicomException e = assertThrows(DicomException.class,
                () -> new CtSeriesWriter(1).write(dark, header(), dir.resolve("dark")));
        assertTrue(e.getMessage().contains("-2000"), e.getMessage());
    }

    @Test
    void write_intoAFileInsteadOfAFolder_failsNamingTheSeriesAndTheFolder(@TempDir Path dir) throws Exception {
        VolumeGeometry g = VolumeGeometry.axial(4, 4, 1, Vec3.ZERO, new Vec3(1, 1, 1));
        CtVolume volume = new CtVolume("2.25.9", "2.25.10", g, new short[][] {new short[16]}, List.of("2.25.11"));
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        DicomException e = assertThrows(DicomException.class,
                () -> new CtSeriesWriter(1).write(volume, header(), file));
        assertTrue(e.getMessage().startsWith("could not write series 2.25.9 to " + file), e.getMessage());
        assertTrue(e.getMessage().contains("check free space and permissions"), e.getMessage());
    }

    @Test
    void decimalStrings_fitSixteenCharacters() {
        assertEquals("-178.85", CtSeriesWriter.decimal(-178.85));
        assertEquals("0", CtSeriesWriter.decimal(-0.0000001));
        assertEquals("1", CtSeriesWriter.decimal(1.0));
        assertTrue(CtSeriesWriter.decimal(-12345.678901234).length() <= 16);
    }
}
