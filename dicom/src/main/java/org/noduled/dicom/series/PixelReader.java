package org.noduled.dicom.series;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import org.noduled.dicom.DicomException;

/**
 * Reads a slice's stored pixel values and converts them to Hounsfield units.
 *
 * <p>Native little-endian pixels are read straight from the file at the offset the header reader found, into
 * a per-thread direct buffer (one copy out of the page cache, one bulk copy into the slice array). Encoded
 * pixels (JPEG Lossless, RLE, deflate, big endian) go through the toolkit's full parse, which decodes them.
 */
final class PixelReader {

    private static final ThreadLocal<ByteBuffer> BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN));

    private PixelReader() {
    }

    /** The slice's stored values, one 16-bit word per pixel, row-major, before rescale. */
    static short[] readStored(SliceHeader slice) throws DicomException {
        return switch (slice.encoding()) {
            case NATIVE_LITTLE_ENDIAN -> readByOffset(slice);
            case DECODED_BY_TOOLKIT -> decodeWithToolkit(slice);
            case UNSUPPORTED -> throw new IllegalStateException(
                    "unsupported transfer syntax should have been refused before reading pixels");
        };
    }

    private static short[] readByOffset(SliceHeader slice) throws DicomException {
        int frameBytes = Math.toIntExact(slice.format().frameBytes());
        ByteBuffer buffer = buffer(frameBytes);
        long offset = slice.pixelData().offsetBytes();
        try (FileChannel channel = FileChannel.open(slice.file())) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new DicomException(slice.label() + " is truncated: its pixel data ends after "
                            + buffer.position() + " of " + frameBytes + " bytes; resend the series");
                }
            }
        } catch (IOException e) {
            throw new DicomException(slice.label() + " could not be read: " + e.getMessage(), e);
        }
        buffer.flip();
        short[] stored = new short[frameBytes / 2];
        buffer.asShortBuffer().get(stored);
        return stored;
    }

    private static ByteBuffer buffer(int bytes) {
        ByteBuffer buffer = BUFFER.get();
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
            BUFFER.set(buffer);
        }
        buffer.clear().limit(bytes);
        return buffer;
    }

    private static short[] decodeWithToolkit(SliceHeader slice) throws DicomException {
        AttributeList list = new AttributeList();
        try {
            list.read(slice.file().toFile());
        } catch (com.pixelmed.dicom.DicomException | IOException | RuntimeException e) {
            String what = slice.label() + " uses " + PixelEncoding.describe(slice.transferSyntaxUid());
            if (String.valueOf(e.getMessage()).contains("No reader")) {
                throw new DicomException(what + " but no decoder for it is installed (Debian package "
                        + "libpixelmed-imageio-java); install it or send uncompressed", e);
            }
            throw new DicomException(what + " and could not be decoded (" + e.getMessage()
                    + "); resend the series uncompressed", e);
        }
        Attribute pixels = list.get(TagFromName.PixelData);
        short[] stored;
        try {
            stored = pixels == null ? null : pixels.getShortValues();
        } catch (com.pixelmed.dicom.DicomException e) {
            stored = null;
        }
        int expected = slice.format().rows() * slice.format().columns();
        if (stored == null || stored.length < expected) {
            throw new DicomException(slice.label() + " has no decodable pixel data ("
                    + (stored == null ? "none" : stored.length + " of " + expected + " pixels") + "); resend the series");
        }
        return stored.length == expected ? stored : java.util.Arrays.copyOf(stored, expected);
    }

    /**
     * Converts stored values to HU in place: takes the Bits Stored low bits (sign-extended when Pixel
     * Representation is signed), applies Rescale Slope and Intercept, rounds, and clips to the 16-bit range.
     *
     * @return how many values had to be clipped (0 for any real CT)
     */
    static int toHu(short[] values, PixelFormat format, double slope, double intercept) {
        boolean integral = slope == 1.0 && intercept == Math.rint(intercept) && Math.abs(intercept) <= 65536;
        if (integral && format.bitsStored() == 16 && format.signed()) {
            int c = (int) intercept;
            // v + c stays in the short range iff v >= -32768 - c (when c < 0) or v <= 32767 - c (when c > 0).
            if (c <= 0 ? allAtLeast(values, Short.MIN_VALUE - c) : allAtMost(values, Short.MAX_VALUE - c)) {
                addIntercept(values, c);
                return 0;
            }
        } else if (integral && !format.signed()) {
            int c = (int) intercept;
            int mask = (1 << format.bitsStored()) - 1;
            if (c >= Short.MIN_VALUE && (mask + c <= Short.MAX_VALUE || unsignedAllAtMost(values, mask, Short.MAX_VALUE - c))) {
                maskAndAddIntercept(values, mask, c);
                return 0;
            }
        }
        return rescaleAndClip(values, format, slope, intercept);
    }

    // The loops below are the common case, kept to the shapes the JIT compiles best: OR-reductions of int
    // differences (whose sign bit says whether any value crossed the bound) and a plain add, which is
    // vectorised. A static range check from Bits Stored alone would send the most common CT layout (signed
    // 16-bit, intercept -1024) to the slow path, so the check looks at the slice's actual values. Measured
    // on 300 slices: min/max loop 57 ms, this check 34 ms, plain add 7-8 ms (one core).

    private static boolean allAtLeast(short[] values, int low) {
        int crossed = 0;
        for (int i = 0; i < values.length; i++) {
            crossed |= values[i] - low;
        }
        return crossed >= 0;
    }

    private static boolean allAtMost(short[] values, int high) {
        int crossed = 0;
        for (int i = 0; i < values.length; i++) {
            crossed |= high - values[i];
        }
        return crossed >= 0;
    }

    private static boolean unsignedAllAtMost(short[] values, int mask, int high) {
        int crossed = 0;
        for (int i = 0; i < values.length; i++) {
            crossed |= high - (values[i] & mask);
        }
        return crossed >= 0;
    }

    private static void addIntercept(short[] values, int intercept) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (short) (values[i] + intercept);
        }
    }

    private static void maskAndAddIntercept(short[] values, int mask, int intercept) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (short) ((values[i] & mask) + intercept);
        }
    }

    private static int rescaleAndClip(short[] values, PixelFormat format, double slope, double intercept) {
        int bits = format.bitsStored();
        int shift = 32 - bits;
        int mask = (1 << bits) - 1;
        int clipped = 0;
        for (int i = 0; i < values.length; i++) {
            int raw = format.signed() ? (values[i] << shift) >> shift : values[i] & mask;
            long hu = Math.round(raw * slope + intercept);
            if (hu < Short.MIN_VALUE || hu > Short.MAX_VALUE) {
                clipped++;
                hu = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, hu));
            }
            values[i] = (short) hu;
        }
        return clipped;
    }
}
