package org.noduled.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a slice's header with the toolkit, stopping before the pixels, and finds the byte offset of the
 * pixel data itself. A full toolkit parse copies every pixel through its own buffers (about 0.35 ms per
 * 512x512 slice); stopping at (7FE0,0010) costs about 0.03 ms and leaves the pixels to be read by offset.
 */
final class SliceHeaderReader {

    /** SOP Class of a DICOMDIR (Media Storage Directory Storage): an index, not an image. */
    static final String MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10";

    /** (0018,1120) Gantry/Detector Tilt, degrees; not among the toolkit's named tags. */
    private static final AttributeTag GANTRY_DETECTOR_TILT = new AttributeTag(0x0018, 0x1120);
    private static final int PREAMBLE_BYTES = 128;
    private static final byte[] MAGIC = "DICM".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BUFFER_BYTES = 16 * 1024;
    private static final String DEFLATED = "1.2.840.10008.1.2.1.99";
    private static final String EXPLICIT_BIG_ENDIAN = "1.2.840.10008.1.2.2";

    private SliceHeaderReader() {
    }

    /** True when the file starts like a DICOM Part 10 file: a 128-byte preamble, then "DICM". */
    static boolean isPart10(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer prefix = ByteBuffer.allocate(PREAMBLE_BYTES + MAGIC.length);
            while (prefix.hasRemaining() && channel.read(prefix) >= 0) {
                // a short read is legal; keep reading until full or end of file
            }
            if (prefix.hasRemaining()) {
                return false;
            }
            for (int i = 0; i < MAGIC.length; i++) {
                if (prefix.get(PREAMBLE_BYTES + i) != MAGIC[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Parses the header of a Part 10 file; throws if the file is corrupt or truncated before its pixels. */
    static SliceHeader read(Path file) throws DicomException {
        String name = file.getFileName().toString();
        AttributeList list = new AttributeList();
        long sizeBytes;
        long stoppedAt;
        try (InputStream raw = Files.newInputStream(file);
                DicomInputStream in = new DicomInputStream(new BufferedInputStream(raw, HEADER_BUFFER_BYTES))) {
            sizeBytes = Files.size(file);
            stoppedAt = list.read(in, TagFromName.PixelData);
        } catch (IOException | com.pixelmed.dicom.DicomException | RuntimeException e) {
            throw new DicomException("file " + name + " could not be parsed as DICOM (corrupt or truncated: "
                    + e.getMessage() + "); resend it from the source", e);
        }
        String transferSyntaxUid = text(list, TagFromName.TransferSyntaxUID);
        if (transferSyntaxUid == null) {
            throw new DicomException("file " + name + " has no Transfer Syntax UID in its meta header "
                    + "(corrupt or truncated); resend it from the source");
        }
        PixelDataLocation pixelData = locatePixelData(file, stoppedAt, sizeBytes, transferSyntaxUid);
        return new SliceHeader(
                file,
                sizeBytes,
                transferSyntaxUid,
                text(list, TagFromName.SOPClassUID),
                text(list, TagFromName.SOPInstanceUID),
                text(list, TagFromName.SeriesInstanceUID),
                text(list, TagFromName.StudyInstanceUID),
                text(list, TagFromName.Modality),
                text(list, TagFromName.FrameOfReferenceUID),
                list.get(TagFromName.InstanceNumber) == null ? null
                        : Attribute.getSingleIntegerValueOrDefault(list, TagFromName.InstanceNumber, 0),
                new PixelFormat(
                        integer(list, TagFromName.Rows, -1),
                        integer(list, TagFromName.Columns, -1),
                        integer(list, TagFromName.SamplesPerPixel, 1),
                        integer(list, TagFromName.BitsAllocated, -1),
                        integer(list, TagFromName.BitsStored, -1),
                        integer(list, TagFromName.HighBit, -1),
                        integer(list, TagFromName.PixelRepresentation, 0) == 1,
                        integer(list, TagFromName.NumberOfFrames, 1),
                        text(list, TagFromName.PhotometricInterpretation)),
                doubles(list, TagFromName.ImagePositionPatient, 3),
                doubles(list, TagFromName.ImageOrientationPatient, 6),
                doubles(list, TagFromName.PixelSpacing, 2),
                number(list, TagFromName.RescaleSlope),
                number(list, TagFromName.RescaleIntercept),
                number(list, GANTRY_DETECTOR_TILT),
                pixelData,
                list);
    }

    /**
     * PixelMed's {@code read(stream, stopTag)} returns the stream offset just past the 4-byte tag of the first
     * top-level element at or beyond the stop tag (offsets count the preamble). That is checked here rather
     * than trusted: the tag must be in the file at that offset. Returns null when there is no pixel data.
     */
    private static PixelDataLocation locatePixelData(Path file, long stoppedAt, long sizeBytes, String transferSyntaxUid)
            throws DicomException {
        if (DEFLATED.equals(transferSyntaxUid)) {
            return PixelDataLocation.INSIDE_DEFLATED_DATA_SET;
        }
        boolean bigEndian = EXPLICIT_BIG_ENDIAN.equals(transferSyntaxUid);
        boolean explicitVr = !PixelEncoding.IMPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntaxUid);
        long tagAt = stoppedAt - 4;
        String name = file.getFileName().toString();
        ByteBuffer element = ByteBuffer.allocate(12).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        if (tagAt >= 0) {
            try (FileChannel channel = FileChannel.open(file)) {
                while (element.hasRemaining() && channel.read(element, tagAt + element.position()) > 0) {
                    // fill as much of the element header as the file holds
                }
            } catch (IOException e) {
                throw new DicomException("file " + name + " could not be read: " + e.getMessage(), e);
            }
        }
        int available = element.position();
        if (available >= 4) {
            int group = element.getShort(0) & 0xFFFF;
            int elementNumber = element.getShort(2) & 0xFFFF;
            if (group == 0x7FE0 && elementNumber == 0x0010) {
                return pixelDataAt(name, element, available, tagAt, explicitVr);
            }
            if (group >= 0x7FE0) {
                return null;
            }
        }
        if (stoppedAt >= sizeBytes) {
            return null;
        }
        throw new DicomException("file " + name + " could not be parsed beyond byte " + Math.max(0, tagAt) + " of "
                + sizeBytes + " (corrupt header); resend it from the source");
    }

    private static PixelDataLocation pixelDataAt(String name, ByteBuffer element, int available, long tagAt,
            boolean explicitVr) throws DicomException {
        int headerBytes = explicitVr ? 12 : 8;
        if (available < headerBytes) {
            throw new DicomException("file " + name + " is truncated inside its Pixel Data element; "
                    + "resend it from the source");
        }
        if (explicitVr) {
            String vr = new String(new byte[] {element.get(4), element.get(5)}, StandardCharsets.US_ASCII);
            if (!vr.equals("OW") && !vr.equals("OB") && !vr.equals("UN")) {
                throw new DicomException("file " + name + " has Pixel Data with value representation '" + vr
                        + "' (expected OW or OB): corrupt; resend it from the source");
            }
        }
        long length = element.getInt(headerBytes - 4) & 0xFFFFFFFFL;
        return new PixelDataLocation(tagAt + headerBytes, length == 0xFFFFFFFFL ? -1 : length);
    }

    private static String text(AttributeList list, AttributeTag tag) {
        String value = Attribute.getSingleStringValueOrNull(list, tag);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static int integer(AttributeList list, AttributeTag tag, int absent) {
        return Attribute.getSingleIntegerValueOrDefault(list, tag, absent);
    }

    /** The attribute's numbers when it holds exactly {@code count} of them, else null (absent or malformed). */
    private static double[] doubles(AttributeList list, AttributeTag tag, int count) {
        Attribute attribute = list.get(tag);
        if (attribute == null || attribute.getVM() != count) {
            return null;
        }
        try {
            double[] values = attribute.getDoubleValues();
            return values != null && values.length == count ? values : null;
        } catch (com.pixelmed.dicom.DicomException | NumberFormatException e) {
            return null;
        }
    }

    private static Double number(AttributeList list, AttributeTag tag) {
        double[] values = doubles(list, tag, 1);
        return values == null ? null : values[0];
    }
}
