package org.noduled.dicom.series;

import com.pixelmed.dicom.TransferSyntax;
import java.util.Map;

/**
 * How a transfer syntax stores pixels, and so how noduled reads them: native little endian straight from
 * the file by offset (the fast path), lossless encodings through the toolkit's full decoder (slow, but
 * exact), everything else refused.
 */
enum PixelEncoding {
    /** Explicit or implicit VR little endian: pixels are read by byte offset. */
    NATIVE_LITTLE_ENDIAN,
    /** Lossless encodings the toolkit decodes: JPEG Lossless (process 14), RLE, deflate, big endian. */
    DECODED_BY_TOOLKIT,
    /** Lossy or unsupported encodings: refused, never guessed at. */
    UNSUPPORTED;

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry(TransferSyntax.ImplicitVRLittleEndian, "Implicit VR Little Endian"),
            Map.entry(TransferSyntax.ExplicitVRLittleEndian, "Explicit VR Little Endian"),
            Map.entry(TransferSyntax.DeflatedExplicitVRLittleEndian, "Deflated Explicit VR Little Endian"),
            Map.entry(TransferSyntax.ExplicitVRBigEndian, "Explicit VR Big Endian"),
            Map.entry(TransferSyntax.RLE, "RLE Lossless"),
            Map.entry(TransferSyntax.JPEGBaseline, "JPEG Baseline (lossy)"),
            Map.entry(TransferSyntax.JPEGExtended, "JPEG Extended (lossy)"),
            Map.entry(TransferSyntax.JPEGLossless, "JPEG Lossless (process 14)"),
            Map.entry(TransferSyntax.JPEGLosslessSV1, "JPEG Lossless (process 14, SV1)"),
            Map.entry(TransferSyntax.JPEGLS, "JPEG-LS Lossless"),
            Map.entry(TransferSyntax.JPEGNLS, "JPEG-LS Near-Lossless"),
            Map.entry(TransferSyntax.JPEG2000Lossless, "JPEG 2000 (lossless only)"),
            Map.entry(TransferSyntax.JPEG2000, "JPEG 2000"),
            Map.entry("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (lossless only)"),
            Map.entry("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL (lossless only)"),
            Map.entry("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000"));

    static PixelEncoding of(String transferSyntaxUid) {
        if (transferSyntaxUid == null) {
            return UNSUPPORTED;
        }
        return switch (transferSyntaxUid) {
            case TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian -> NATIVE_LITTLE_ENDIAN;
            case TransferSyntax.JPEGLossless, TransferSyntax.JPEGLosslessSV1, TransferSyntax.RLE,
                    TransferSyntax.DeflatedExplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian ->
                    DECODED_BY_TOOLKIT;
            default -> UNSUPPORTED;
        };
    }

    /** The transfer syntax's name and UID for messages, e.g. "JPEG 2000 (lossless only) (1.2.840.10008.1.2.4.90)". */
    static String describe(String transferSyntaxUid) {
        if (transferSyntaxUid == null) {
            return "no transfer syntax";
        }
        return NAMES.getOrDefault(transferSyntaxUid, "an unknown transfer syntax") + " (" + transferSyntaxUid + ")";
    }
}
