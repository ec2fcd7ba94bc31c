package org.noduled.dicom.series;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes one small synthetic CT slice (16x16 by default) with the toolkit, for tests. Every field can be
 * changed to make exactly one thing wrong. By default the stored value of pixel (i, j) is
 * {@code 1024 + round(10 * z) + i + 3 * j} with intercept -1024, so that the HU of a voxel tells which slice
 * (position z) and which column and row it came from.
 */
public final class TestSlice {

    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    public static final String ROOT = "1.2.826.0.1.3680043.10.999";

    String seriesUid = ROOT + ".1";
    String studyUid = ROOT + ".2";
    String frameOfReferenceUid = ROOT + ".3";
    String sopInstanceUid;
    String modality = "CT";
    String transferSyntax = TransferSyntax.ExplicitVRLittleEndian;
    Integer instanceNumber;
    public int rows = 16;
    public int columns = 16;
    int bitsStored = 16;
    boolean signed = false;
    double[] positionMm;
    double[] orientation = {1, 0, 0, 0, 1, 0};
    double[] pixelSpacingMm = {0.8, 0.7};
    Double slope = 1.0;
    Double intercept = -1024.0;
    Double gantryTiltDegrees;
    boolean withPixelData = true;
    short[] stored;
    /** Anything else to put into the data set (private blocks, icons...). */
    List<Attribute> extra = new ArrayList<>();

    /** A slice at height z with instance number n (and a SOP Instance UID made from n). */
    public static TestSlice at(double zMm, int instanceNumber) {
        TestSlice s = new TestSlice();
        s.positionMm = new double[] {-100, -120, zMm};
        s.instanceNumber = instanceNumber;
        s.sopInstanceUid = ROOT + ".4." + instanceNumber;
        return s;
    }

    /** The default HU of pixel (i, j) of a slice at height z (stored value minus 1024). */
    public static int expectedHu(int i, int j, double zMm) {
        return (int) Math.round(10 * zMm) + i + 3 * j;
    }

    public short[] storedValues() {
        if (stored != null) {
            return stored;
        }
        short[] values = new short[rows * columns];
        double z = positionMm == null ? 0 : positionMm[2];
        for (int j = 0; j < rows; j++) {
            for (int i = 0; i < columns; i++) {
                values[j * columns + i] = (short) (1024 + expectedHu(i, j, z));
            }
        }
        return values;
    }

    public AttributeList attributes() throws Exception {
        AttributeList list = new AttributeList();
        text(list, TagFromName.SpecificCharacterSet, "ISO_IR 100");
        text(list, TagFromName.SOPClassUID, CT_IMAGE_STORAGE);
        text(list, TagFromName.SOPInstanceUID, sopInstanceUid);
        text(list, TagFromName.StudyInstanceUID, studyUid);
        text(list, TagFromName.SeriesInstanceUID, seriesUid);
        text(list, TagFromName.FrameOfReferenceUID, frameOfReferenceUid);
        text(list, TagFromName.Modality, modality);
        text(list, TagFromName.PatientName, "Doe^Jane");
        text(list, TagFromName.PatientID, "TEST-0001");
        text(list, TagFromName.StudyDate, "20240102");
        text(list, TagFromName.AccessionNumber, "ACC42");
        text(list, TagFromName.SeriesDescription, "must not be copied into the study");
        if (instanceNumber != null) {
            text(list, TagFromName.InstanceNumber, Integer.toString(instanceNumber));
        }
        numbers(list, TagFromName.ImagePositionPatient, positionMm);
        numbers(list, TagFromName.ImageOrientationPatient, orientation);
        numbers(list, TagFromName.PixelSpacing, pixelSpacingMm);
        if (slope != null) {
            numbers(list, TagFromName.RescaleSlope, new double[] {slope});
        }
        if (intercept != null) {
            numbers(list, TagFromName.RescaleIntercept, new double[] {intercept});
        }
        if (gantryTiltDegrees != null) {
            numbers(list, new AttributeTag(0x0018, 0x1120), new double[] {gantryTiltDegrees});
        }
        text(list, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        unsigned(list, TagFromName.SamplesPerPixel, 1);
        unsigned(list, TagFromName.Rows, rows);
        unsigned(list, TagFromName.Columns, columns);
        unsigned(list, TagFromName.BitsAllocated, 16);
        unsigned(list, TagFromName.BitsStored, bitsStored);
        unsigned(list, TagFromName.HighBit, bitsStored - 1);
        unsigned(list, TagFromName.PixelRepresentation, signed ? 1 : 0);
        if (withPixelData) {
            OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
            pixels.setValues(storedValues());
            list.put(pixels);
        }
        extra.forEach(list::put);
        FileMetaInformation.addFileMetaInformation(list, transferSyntax, "NODULEDTEST");
        return list;
    }

    /** Writes the slice as a Part 10 file and returns its path. */
    public Path write(Path file) throws Exception {
        attributes().write(file.toFile(), transferSyntax, true, true);
        return file;
    }

    /** Writes it into a folder under a name that says nothing about its order. */
    public Path writeInto(Path folder) throws Exception {
        return write(folder.resolve(String.format(Locale.ROOT, "x%08x.dcm", sopInstanceUid.hashCode())));
    }

    private static void text(AttributeList list, AttributeTag tag, String value) throws Exception {
        if (value == null) {
            return;
        }
        Attribute a = AttributeFactory.newAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    private static void numbers(AttributeList list, AttributeTag tag, double[] values) throws Exception {
        if (values == null) {
            return;
        }
        Attribute a = AttributeFactory.newAttribute(tag);
        for (double v : values) {
            a.addValue(v);
        }
        list.put(a);
    }

    private static void unsigned(AttributeList list, AttributeTag tag, int value) throws Exception {
        Attribute a = new UnsignedShortAttribute(tag);
        a.addValue(value);
        list.put(a);
    }
}
