package org.noduled.dicom.series;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.LongTextAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TimeAttribute;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.noduled.dicom.DicomException;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.ShortUid;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.VolumeGeometry;

/**
 * Writes a {@link CtVolume} as a CT Image Storage series: one Part 10 file per slice, explicit VR little
 * endian, with the Patient, General Study, General Series, Frame of Reference, General Equipment, General
 * Image, Image Plane, Image Pixel, CT Image, VOI LUT and SOP Common modules.
 *
 * <p>Pixels are stored unsigned, HU + 1024 (Rescale Intercept -1024, Slope 1, the usual CT convention),
 * 12 bits stored when the volume's HU fit -1024..3071, else 16. Instance Number counts from the top slice
 * down (as a head-first scanner does) and file names are {@code CT_} plus the first eight hex digits of
 * the MD5 name-based UUID of the SOP Instance UID: neither sorts along z, so a reader must sort by Image Position (Patient).
 */
public final class CtSeriesWriter {

    static final String AE_TITLE = "NODULED";
    static final int RESCALE_INTERCEPT = -1024;
    /** Not in PixelMed's TagFromName. */
    static final AttributeTag KVP = new AttributeTag(0x0018, 0x0060);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);

    private final int threads;

    /** A writer that encodes and writes files on {@code threads} threads. */
    public CtSeriesWriter(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
    }

    /**
     * Writes every slice of {@code volume} into {@code dir} (created if missing).
     *
     * @return the files written, in slice order k = 0.. (feet to head)
     * @throws DicomException when the volume holds HU this encoding cannot store (below -1024), or a file
     *                        cannot be written
     */
    public List<Path> write(CtVolume volume, CtSeriesHeader header, Path dir) throws DicomException {
        CtVolume.HuRange range = volume.huRange();
        if (range.minHu() < RESCALE_INTERCEPT || range.maxHu() > RESCALE_INTERCEPT + 0xFFFF) {
            throw DicomException.forSeries(volume.seriesInstanceUid(), "holds HU " + range.minHu() + ".."
                    + range.maxHu() + ", which Rescale Intercept " + RESCALE_INTERCEPT + " cannot store in 16 unsigned"
                    + " bits; clamp the volume to " + RESCALE_INTERCEPT + ".." + (RESCALE_INTERCEPT + 0xFFFF) + " HU");
        }
        int bitsStored = range.maxHu() <= RESCALE_INTERCEPT + 4095 ? 12 : 16;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw cannotWrite(volume, dir, e);
        }
        AttributeList common = commonAttributes(volume, header, bitsStored);
        List<Path> files = fileNames(volume, dir);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ct-series-writer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int k = 0; k < volume.geometry().slices(); k++) {
                int slice = k;
                writes.add(pool.submit(() -> {
                    writeSlice(volume, common, slice, files.get(slice));
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
            return files;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DicomException.forSeries(volume.seriesInstanceUid(), "writing to " + dir + " was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DicomException d) {
                throw d;
            }
            if (e.getCause() instanceof IOException io) {
                throw cannotWrite(volume, dir, io);
            }
            throw new IllegalStateException("writing series " + ShortUid.of(volume.seriesInstanceUid())
                    + " failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static DicomException cannotWrite(CtVolume volume, Path dir, IOException e) {
        return new DicomException("could not write series " + ShortUid.of(volume.seriesInstanceUid()) + " to " + dir
                + ": " + e + "; check free space and permissions of that folder", e);
    }

    private static List<Path> fileNames(CtVolume volume, Path dir) {
        List<Path> files = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (String uid : volume.sliceInstanceUids()) {
            UUID hash = UUID.nameUUIDFromBytes(uid.getBytes(StandardCharsets.US_ASCII));
            String name = String.format(Locale.ROOT, "CT_%08X", hash.getMostSignificantBits() >>> 32);
            while (!taken.add(name)) {
                name = name + "_";
            }
            files.add(dir.resolve(name + ".dcm"));
        }
        return files;
    }

    private static void writeSlice(CtVolume volume, AttributeList common, int k, Path file)
            throws IOException, DicomException {
        VolumeGeometry g = volume.geometry();
        try {
            AttributeList list = new AttributeList();
            list.putAll(common);
            String sopInstanceUid = volume.sliceInstanceUids().get(k);
            put(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), sopInstanceUid);
            put(list, new IntegerStringAttribute(TagFromName.InstanceNumber), Integer.toString(g.slices() - k));
            Vec3 position = g.slicePositionMm(k);
            put(list, new DecimalStringAttribute(TagFromName.ImagePositionPatient),
                    decimal(position.x()), decimal(position.y()), decimal(position.z()));
            put(list, new DecimalStringAttribute(TagFromName.SliceLocation), decimal(position.dot(g.sliceDirection())));
            short[] hu = volume.sliceHu(k);
            short[] stored = new short[hu.length];
            for (int p = 0; p < hu.length; p++) {
                stored[p] = (short) (hu[p] - RESCALE_INTERCEPT);
            }
            OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
            pixels.setValues(stored);
            list.put(pixels);
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, AE_TITLE);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                list.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
            }
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new DicomException("series " + ShortUid.of(volume.seriesInstanceUid()) + ": could not encode slice "
                    + k + " for " + file + ": " + e.getMessage() + " (please report this)", e);
        }
    }

    private static AttributeList commonAttributes(CtVolume volume, CtSeriesHeader h, int bitsStored)
            throws DicomException {
        VolumeGeometry g = volume.geometry();
        String date = DATE.format(h.studyDateTime());
        String time = TIME.format(h.studyDateTime());
        AttributeList list = new AttributeList();
        try {
            // SOP Common
            put(list, new CodeStringAttribute(TagFromName.SpecificCharacterSet), "ISO_IR 100");
            put(list, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), SOPClass.CTImageStorage);
            put(list, new DateAttribute(TagFromName.InstanceCreationDate), date);
            put(list, new TimeAttribute(TagFromName.InstanceCreationTime), time);
            // Patient
            put(list, new PersonNameAttribute(TagFromName.PatientName), h.patientName());
            put(list, new LongStringAttribute(TagFromName.PatientID), h.patientId());
            put(list, new DateAttribute(TagFromName.PatientBirthDate), DATE.format(h.patientBirthDate()));
            put(list, new CodeStringAttribute(TagFromName.PatientSex), h.patientSex());
            // General Study
            put(list, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), h.studyInstanceUid());
            put(list, new DateAttribute(TagFromName.StudyDate), date);
            put(list, new TimeAttribute(TagFromName.StudyTime), time);
            put(list, new PersonNameAttribute(TagFromName.ReferringPhysicianName));
            put(list, new ShortStringAttribute(TagFromName.StudyID), h.studyId());
            put(list, new ShortStringAttribute(TagFromName.AccessionNumber), h.accessionNumber());
            put(list, new LongStringAttribute(TagFromName.StudyDescription), h.studyDescription());
            // General Series
            put(list, new CodeStringAttribute(TagFromName.Modality), "CT");
            put(list, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), volume.seriesInstanceUid());
            put(list, new IntegerStringAttribute(TagFromName.SeriesNumber), Integer.toString(h.seriesNumber()));
            put(list, new DateAttribute(TagFromName.SeriesDate), date);
            put(list, new TimeAttribute(TagFromName.SeriesTime), time);
            put(list, new LongStringAttribute(TagFromName.SeriesDescription), h.seriesDescription());
            put(list, new CodeStringAttribute(TagFromName.BodyPartExamined), "CHEST");
            put(list, new CodeStringAttribute(TagFromName.PatientPosition), "HFS");
            // Frame of Reference
            put(list, new UniqueIdentifierAttribute(TagFromName.FrameOfReferenceUID), volume.frameOfReferenceUid());
            put(list, new LongStringAttribute(TagFromName.PositionReferenceIndicator));
            // General Equipment
            put(list, new LongStringAttribute(TagFromName.Manufacturer), h.manufacturer());
            put(list, new LongStringAttribute(TagFromName.InstitutionName), h.institutionName());
            put(list, new ShortStringAttribute(TagFromName.StationName), h.stationName());
            put(list, new LongStringAttribute(TagFromName.ManufacturerModelName), h.modelName());
            put(list, new LongStringAttribute(TagFromName.SoftwareVersions), "noduled 0.1.0");
            // General Image
            put(list, new IntegerStringAttribute(TagFromName.AcquisitionNumber), "1");
            put(list, new DateAttribute(TagFromName.AcquisitionDate), date);
            put(list, new TimeAttribute(TagFromName.AcquisitionTime), time);
            put(list, new DateAttribute(TagFromName.ContentDate), date);
            put(list, new TimeAttribute(TagFromName.ContentTime), time);
            put(list, new CodeStringAttribute(TagFromName.ImageType), "ORIGINAL", "PRIMARY", "AXIAL");
            put(list, new CodeStringAttribute(TagFromName.BurnedInAnnotation), "NO");
            put(list, new CodeStringAttribute(TagFromName.LossyImageCompression), "00");
            put(list, new LongTextAttribute(TagFromName.ImageComments), h.imageComments());
            // Image Plane
            put(list, new DecimalStringAttribute(TagFromName.PixelSpacing),
                    decimal(g.spacingMm().y()), decimal(g.spacingMm().x()));
            Vec3 row = g.rowDirection();
            Vec3 column = g.columnDirection();
            put(list, new DecimalStringAttribute(TagFromName.ImageOrientationPatient), decimal(row.x()),
                    decimal(row.y()), decimal(row.z()), decimal(column.x()), decimal(column.y()), decimal(column.z()));
            put(list, new DecimalStringAttribute(TagFromName.SliceThickness), decimal(g.spacingMm().z()));
            // Image Pixel
            putShort(list, TagFromName.SamplesPerPixel, 1);
            put(list, new CodeStringAttribute(TagFromName.PhotometricInterpretation), "MONOCHROME2");
            putShort(list, TagFromName.Rows, g.rows());
            putShort(list, TagFromName.Columns, g.columns());
            putShort(list, TagFromName.BitsAllocated, 16);
            putShort(list, TagFromName.BitsStored, bitsStored);
            putShort(list, TagFromName.HighBit, bitsStored - 1);
            putShort(list, TagFromName.PixelRepresentation, 0);
            // CT Image
            put(list, new DecimalStringAttribute(TagFromName.RescaleIntercept), Integer.toString(RESCALE_INTERCEPT));
            put(list, new DecimalStringAttribute(TagFromName.RescaleSlope), "1");
            put(list, new LongStringAttribute(TagFromName.RescaleType), "HU");
            put(list, new DecimalStringAttribute(KVP), "120");
            put(list, new ShortStringAttribute(TagFromName.ConvolutionKernel), "STANDARD");
            put(list, new DecimalStringAttribute(SliceHeaderReader.GANTRY_DETECTOR_TILT), "0");
            put(list, new DecimalStringAttribute(TagFromName.ReconstructionDiameter),
                    decimal(g.columns() * g.spacingMm().x()));
            // VOI LUT: lung window first, mediastinal second
            put(list, new DecimalStringAttribute(TagFromName.WindowCenter), "-600", "40");
            put(list, new DecimalStringAttribute(TagFromName.WindowWidth), "1500", "400");
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new DicomException("series " + ShortUid.of(volume.seriesInstanceUid())
                    + ": could not encode the header: " + e.getMessage() + " (please report this)", e);
        }
        return list;
    }

    private static void put(AttributeList list, Attribute a, String... values) throws com.pixelmed.dicom.DicomException {
        for (String v : values) {
            a.addValue(v);
        }
        list.put(a);
    }

    private static void putShort(AttributeList list, AttributeTag tag, int value) throws com.pixelmed.dicom.DicomException {
        Attribute a = new UnsignedShortAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    /** A Decimal String value: at most 16 characters, no exponent, trailing zeros dropped. */
    static String decimal(double v) {
        for (int decimals = 6; decimals >= 0; decimals--) {
            String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
            if (s.contains(".")) {
                s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            if (s.equals("-0")) {
                s = "0";
            }
            if (s.length() <= 16) {
                return s;
            }
        }
        throw new IllegalArgumentException("value " + v + " does not fit a DICOM decimal string");
    }
}
