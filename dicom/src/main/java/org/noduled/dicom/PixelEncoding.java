package org.noduled.dicom;

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

    static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    static final String JPEG_LOSSLESS_PROCESS_14 = "1.2.840.10008.1.2.4.57";
    static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry(IMPLICIT_VR_LITTLE_ENDIAN, "Implicit VR Little Endian"),
            Map.entry(EXPLICIT_VR_LITTLE_ENDIAN, "Explicit VR Little Endian"),
            Map.entry("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"),
            Map.entry("1.2.840.10008.1.2.2", "Explicit VR Big Endian"),
            Map.entry("1.2.840.10008.1.2.5", "RLE Lossless"),
            Map.entry("1.2.840.10008.1.2.4.50", "JPEG Baseline (lossy)"),
            Map.entry("1.2.840.10008.1.2.4.51", "JPEG Extended (lossy)"),
            Map.entry(JPEG_LOSSLESS_PROCESS_14, "JPEG Lossless (process 14)"),
            Map.entry(JPEG_LOSSLESS_SV1, "JPEG Lossless (process 14, SV1)"),
            Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
            Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless"),
            Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 (lossless only)"),
            Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000"),
            Map.entry("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (lossless only)"),
            Map.entry("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL (lossless only)"),
            Map.entry("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000"));

    static PixelEncoding of(String transferSyntaxUid) {
        if (transferSyntaxUid == null) {
            return UNSUPPORTED;
        }
        return switch (transferSyntaxUid) {
            case IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN -> NATIVE_LITTLE_ENDIAN;
            case JPEG_LOSSLESS_PROCESS_14, JPEG_LOSSLESS_SV1,
                    "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2" -> DECODED_BY_TOOLKIT;
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
