package org.noduled.dicom.series;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.noduled.dicom.DicomException;

/**
 * Reads a slice's header with the toolkit, stopping before the pixels, and finds the byte offset of the
 * pixel data itself. A full toolkit parse copies every pixel through its own buffers (about 0.35 ms per
 * 512x512 slice); stopping at (7FE0,0010) costs about 0.03 ms and leaves the pixels to be read by offset.
 */
final class SliceHeaderReader {

    /** (0018,1120) Gantry/Detector Tilt, degrees; not among the toolkit's named tags. */
    static final AttributeTag GANTRY_DETECTOR_TILT = new AttributeTag(0x0018, 0x1120);
    private static final int PREAMBLE_BYTES = 128;
    private static final byte[] MAGIC = "DICM".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BUFFER_BYTES = 16 * 1024;
    private static final int HEAD_BYTES = 64 * 1024;

    private SliceHeaderReader() {
    }

    /**
     * The first bytes of a file, read with one system call: all of a typical CT header (1-10 KB), the Part 10
     * prefix and the Pixel Data element header, so that the file is opened once for all three.
     */
    record FileHead(Path file, long sizeBytes, byte[] bytes) {

        static FileHead of(Path file) throws IOException {
            try (FileChannel channel = FileChannel.open(file)) {
                long size = channel.size();
                ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, HEAD_BYTES));
                while (head.hasRemaining() && channel.read(head) >= 0) {
                    // a short read is legal; keep reading until full or end of file
                }
                return new FileHead(file, size, Arrays.copyOf(head.array(), head.position()));
            }
        }

        /** True when the file starts like a DICOM Part 10 file: a 128-byte preamble, then "DICM". */
        boolean isPart10() {
            return bytes.length >= PREAMBLE_BYTES + MAGIC.length
                    && Arrays.equals(bytes, PREAMBLE_BYTES, PREAMBLE_BYTES + MAGIC.length, MAGIC, 0, MAGIC.length);
        }

        boolean wholeFile() {
            return bytes.length == sizeBytes;
        }
    }

    /** Parses the header of a Part 10 file; throws if the file is corrupt or truncated before its pixels. */
    static SliceHeader read(Path file) throws DicomException {
        try {
            return read(FileHead.of(file));
        } catch (IOException e) {
            throw new DicomException("file " + file.getFileName() + " could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * Parses the header from the file's head in memory. Only a header longer than the head (rare: large
     * private blocks or icons) is parsed again from the file itself.
     */
    static SliceHeader read(FileHead head) throws DicomException {
        Path file = head.file();
        String name = file.getFileName().toString();
        AttributeList list = new AttributeList();
        long stoppedAt = -1;
        if (!head.wholeFile()) {
            try {
                stoppedAt = list.read(new DicomInputStream(new ByteArrayInputStream(head.bytes())), TagFromName.PixelData);
            } catch (IOException | com.pixelmed.dicom.DicomException | RuntimeException e) {
                stoppedAt = -1;
            }
            if (!pixelDataTagAt(head.bytes(), stoppedAt - 4)) {
                list = new AttributeList();
                stoppedAt = -1;
            }
        }
        if (stoppedAt < 0) {
            try (InputStream in = head.wholeFile() ? new ByteArrayInputStream(head.bytes())
                    : new BufferedInputStream(Files.newInputStream(file), HEADER_BUFFER_BYTES);
                    DicomInputStream dicom = new DicomInputStream(in)) {
                stoppedAt = list.read(dicom, TagFromName.PixelData);
            } catch (IOException | com.pixelmed.dicom.DicomException | RuntimeException e) {
                throw new DicomException("file " + name + " could not be parsed as DICOM (corrupt or truncated: "
                        + e.getMessage() + "); resend it from the source", e);
            }
        }
        long sizeBytes = head.sizeBytes();
        String transferSyntaxUid = text(list, TagFromName.TransferSyntaxUID);
        if (transferSyntaxUid == null) {
            throw new DicomException("file " + name + " has no Transfer Syntax UID in its meta header "
                    + "(corrupt or truncated); resend it from the source");
        }
        PixelDataLocation pixelData = locatePixelData(head, stoppedAt, transferSyntaxUid);
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

    /** True when the bytes hold the little-endian tag (7FE0,0010) at the offset. */
    private static boolean pixelDataTagAt(byte[] bytes, long offset) {
        return offset >= 0 && offset + 4 <= bytes.length && (bytes[(int) offset] & 0xFF) == 0xE0
                && bytes[(int) offset + 1] == 0x7F && bytes[(int) offset + 2] == 0x10 && bytes[(int) offset + 3] == 0x00;
    }

    /**
     * PixelMed's {@code read(stream, stopTag)} returns the stream offset just past the 4-byte tag of the first
     * top-level element at or beyond the stop tag (offsets count the preamble). That is checked here rather
     * than trusted: the tag must be in the file at that offset. Returns null when there is no pixel data.
     */
    private static PixelDataLocation locatePixelData(FileHead head, long stoppedAt, String transferSyntaxUid)
            throws DicomException {
        if (TransferSyntax.DeflatedExplicitVRLittleEndian.equals(transferSyntaxUid)) {
            return PixelDataLocation.INSIDE_DEFLATED_DATA_SET;
        }
        boolean bigEndian = TransferSyntax.ExplicitVRBigEndian.equals(transferSyntaxUid);
        boolean explicitVr = !TransferSyntax.ImplicitVRLittleEndian.equals(transferSyntaxUid);
        long tagAt = stoppedAt - 4;
        long sizeBytes = head.sizeBytes();
        String name = head.file().getFileName().toString();
        ByteBuffer element = elementHeaderAt(head, tagAt).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int available = element.limit();
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

    /** Up to 12 bytes of the file at the offset (fewer near its end), from the head when it holds them. */
    private static ByteBuffer elementHeaderAt(FileHead head, long offset) throws DicomException {
        if (offset < 0) {
            return ByteBuffer.allocate(0);
        }
        long end = Math.min(offset + 12, head.sizeBytes());
        if (end <= head.bytes().length) {
            return ByteBuffer.wrap(Arrays.copyOfRange(head.bytes(), (int) Math.min(offset, end), (int) end));
        }
        ByteBuffer element = ByteBuffer.allocate(12);
        try (FileChannel channel = FileChannel.open(head.file())) {
            while (element.hasRemaining() && channel.read(element, offset + element.position()) > 0) {
                // fill as much of the element header as the file holds
            }
        } catch (IOException e) {
            throw new DicomException("file " + head.file().getFileName() + " could not be read: " + e.getMessage(), e);
        }
        return element.flip();
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
