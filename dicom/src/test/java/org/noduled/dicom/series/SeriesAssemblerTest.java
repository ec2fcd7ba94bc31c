package org.noduled.dicom.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.noduled.dicom.series.TextAssertions.assertContains;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.VolumeGeometry;

class SeriesAssemblerTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian})
    void assemble_nativeLittleEndian_pixelsEqualTheToolkitsFullRead(String transferSyntax) throws Exception {
        for (int k = 0; k < 4; k++) {
            TestSlice s = TestSlice.at(-50 + 2.5 * k, k + 1);
            s.transferSyntax = transferSyntax;
            s.writeInto(dir);
        }
        CtVolume volume = Ingest.load(dir).volume();
        for (int k = 0; k < 4; k++) {
            Path file = dir.resolve(String.format("x%08x.dcm", (TestSlice.ROOT + ".4." + (k + 1)).hashCode()));
            AttributeList full = new AttributeList();
            full.read(file.toFile());
            short[] stored = full.get(TagFromName.PixelData).getShortValues();
            double intercept = Attribute.getSingleDoubleValueOrDefault(full, TagFromName.RescaleIntercept, 0);
            short[] expected = new short[stored.length];
            for (int v = 0; v < stored.length; v++) {
                expected[v] = (short) (stored[v] + intercept);
            }
            assertArrayEquals(expected, volume.sliceHu(k), "slice " + k);
        }
    }

    @Test
    void assemble_regularStack_recordsGeometryAndInstanceOrder() throws Exception {
        Ingest.writeStack(dir, 5, -40, 1.25);
        CtVolume volume = Ingest.load(dir).volume();
        VolumeGeometry g = volume.geometry();
        assertEquals(16, g.columns());
        assertEquals(16, g.rows());
        assertEquals(5, g.slices());
        // Pixel Spacing is (0.8 between rows, 0.7 between columns): i steps 0.7 mm, j steps 0.8 mm.
        assertEquals(0.7, g.spacingMm().x(), 1e-9);
        assertEquals(0.8, g.spacingMm().y(), 1e-9);
        assertEquals(1.25, g.spacingMm().z(), 1e-9);
        assertEquals(new Vec3(-100, -120, -40), g.originMm());
        assertEquals(new Vec3(0, 0, 1), g.sliceDirection());
        assertEquals(TestSlice.ROOT + ".3", volume.frameOfReferenceUid());
        assertEquals(List.of(1, 2, 3, 4, 5).stream().map(n -> TestSlice.ROOT + ".4." + n).toList(),
                volume.sliceInstanceUids());
        // HU of voxel (i, j, k) tells its column, row and slice height (see TestSlice).
        assertEquals(TestSlice.expectedHu(5, 3, -40 + 2 * 1.25), volume.hu(5, 3, 2));
        assertEquals(TestSlice.expectedHu(15, 15, -35), volume.hu(15, 15, 4));
    }

    @Test
    void assemble_instanceNumbersShuffled_sortsByPositionNotByNumber() throws Exception {
        int[] numbers = {4, 1, 5, 2, 3};
        for (int k = 0; k < numbers.length; k++) {
            TestSlice.at(10.0 * k, numbers[k]).writeInto(dir);
        }
        CtVolume volume = Ingest.load(dir).volume();
        for (int k = 0; k < numbers.length; k++) {
            assertEquals(TestSlice.ROOT + ".4." + numbers[k], volume.sliceInstanceUids().get(k));
            assertEquals(TestSlice.expectedHu(0, 0, 10.0 * k), volume.hu(0, 0, k));
        }
    }

    @Test
    void assemble_positionsDecreasingWithInstanceNumber_assemblesAscendingAlongNormal() throws Exception {
        for (int n = 1; n <= 4; n++) {
            TestSlice.at(100 - 3.0 * n, n).writeInto(dir); // instance 1 highest, as a feet-first export
        }
        CtVolume volume = Ingest.load(dir).volume();
        assertEquals(new Vec3(-100, -120, 88), volume.geometry().originMm());
        assertEquals(3.0, volume.geometry().spacingMm().z(), 1e-9);
        assertEquals(TestSlice.ROOT + ".4.4", volume.sliceInstanceUids().get(0));
        assertEquals(TestSlice.expectedHu(2, 7, 97), volume.hu(2, 7, 3));
    }

    @Test
    void assemble_flippedRowDirection_sortsAlongTheTrueNormal() throws Exception {
        // Rows along -x, columns along +y: the normal is -z, so k must grow toward the feet.
        for (int n = 1; n <= 3; n++) {
            TestSlice s = TestSlice.at(2.0 * n, n);
            s.orientation = new double[] {-1, 0, 0, 0, 1, 0};
            s.writeInto(dir);
        }
        CtVolume volume = Ingest.load(dir).volume();
        assertEquals(new Vec3(0, 0, -1), volume.geometry().sliceDirection());
        assertEquals(6.0, volume.geometry().originMm().z(), 1e-9);
        assertEquals(List.of(3, 2, 1).stream().map(n -> TestSlice.ROOT + ".4." + n).toList(),
                volume.sliceInstanceUids());
        assertEquals(new Vec3(-100, -120, 2), volume.geometry().slicePositionMm(2));
    }

    @Test
    void assemble_sourceStudy_copiesPatientAndStudyModulesAndListsInstancesInSliceOrder() throws Exception {
        TestSlice.at(5, 2).writeInto(dir);
        TestSlice.at(0, 7).writeInto(dir);
        SourceStudy study = Ingest.load(dir).study();
        assertEquals(TestSlice.ROOT + ".2", study.studyInstanceUid());
        assertEquals(TestSlice.ROOT + ".1", study.seriesInstanceUid());
        assertEquals(List.of(TestSlice.ROOT + ".4.7", TestSlice.ROOT + ".4.2"),
                study.instances().stream().map(SourceInstance::sopInstanceUid).toList());
        assertEquals(TestSlice.CT_IMAGE_STORAGE, study.instances().get(0).sopClassUid());
        AttributeList copied = study.patientAndStudy();
        assertEquals("Doe^Jane", Attribute.getSingleStringValueOrNull(copied, TagFromName.PatientName));
        assertEquals("ACC42", Attribute.getSingleStringValueOrNull(copied, TagFromName.AccessionNumber));
        assertEquals("ISO_IR 100", Attribute.getSingleStringValueOrNull(copied, TagFromName.SpecificCharacterSet));
        assertEquals(null, copied.get(TagFromName.SeriesDescription));
        assertEquals(null, copied.get(TagFromName.PixelData));
    }

    @Test
    void assemble_slopeAndFractionalIntercept_roundsToNearestHu() throws Exception {
        for (int n = 1; n <= 2; n++) {
            TestSlice s = TestSlice.at(n, n);
            s.slope = 2.5;
            s.intercept = -1000.5;
            s.stored = new short[256];
            s.stored[0] = 0;
            s.stored[1] = 401; // 401 * 2.5 - 1000.5 = 2.0
            s.stored[2] = 1000; // 1499.5 rounds to 1500
            s.writeInto(dir);
        }
        CtVolume volume = Ingest.load(dir).volume();
        assertEquals(-1000, volume.hu(0, 0, 0)); // -1000.5 rounds half up
        assertEquals(2, volume.hu(1, 0, 0));
        assertEquals(1500, volume.hu(2, 0, 1));
    }

    @Test
    void assemble_signedPixels_keepTheirSign() throws Exception {
        for (int n = 1; n <= 2; n++) {
            TestSlice s = TestSlice.at(n, n);
            s.signed = true;
            s.intercept = 0.0;
            s.stored = new short[256];
            s.stored[0] = -1000;
            s.stored[1] = 3071;
            s.writeInto(dir);
        }
        CtVolume volume = Ingest.load(dir).volume();
        assertEquals(-1000, volume.hu(0, 0, 1));
        assertEquals(3071, volume.hu(1, 0, 1));
    }

    @Test
    void assemble_twelveBitsStored_ignoresBitsAboveHighBit() throws Exception {
        for (int n = 1; n <= 2; n++) {
            TestSlice s = TestSlice.at(n, n);
            s.bitsStored = 12;
            s.stored = new short[256];
            s.stored[0] = (short) (0xF000 | 1024); // overlay bits set above bit 11
            s.stored[1] = (short) 4095;
            s.writeInto(dir);
        }
        CtVolume volume = Ingest.load(dir).volume();
        assertEquals(0, volume.hu(0, 0, 0));
        assertEquals(3071, volume.hu(1, 0, 0));
    }

    @Test
    void assemble_signedTwelveBitsStored_signExtendsFromTheHighBit() throws Exception {
        for (int n = 1; n <= 2; n++) {
            TestSlice s = TestSlice.at(n, n);
            s.bitsStored = 12;
            s.signed = true;
            s.intercept = 0.0;
            s.stored = new short[256];
            s.stored[0] = (short) 0x3800; // bit 11 set: -2048 in 12 bits; bits 12-13 are not pixel data
            s.stored[1] = (short) 0x07FF; // 2047
            s.writeInto(dir);
        }
        CtVolume volume = Ingest.load(dir).volume();
        assertEquals(-2048, volume.hu(0, 0, 0));
        assertEquals(2047, volume.hu(1, 0, 0));
    }

    @Test
    void assemble_unsignedSixteenBitsBeyondShortRange_clipsAndWarns() throws Exception {
        for (int n = 1; n <= 2; n++) {
            TestSlice s = TestSlice.at(n, n);
            s.intercept = 0.0;
            s.stored = new short[256];
            s.stored[0] = (short) 65535;
            s.writeInto(dir);
        }
        IngestedSeries series = Ingest.load(dir);
        assertEquals(Short.MAX_VALUE, series.volume().hu(0, 0, 0));
        assertContains(String.join("\n", series.warnings()), "2 voxel(s) beyond the 16-bit HU range");
    }
}
