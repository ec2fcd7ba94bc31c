package org.noduled.dicom.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The DICOM file preamble and meta information (PS3.10 7.1) for a data set received over the network, so the
 * received bytes become a file any DICOM reader opens: 128-byte preamble, "DICM", group 0002 in explicit VR
 * little endian, then the data set exactly as it arrived (in the transfer syntax the file names).
 */
final class FileMetaHeader {

    private FileMetaHeader() {
    }

    static byte[] of(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String sourceAeTitle) {
        ByteArrayOutputStream group = new ByteArrayOutputStream();
        element(group, 0x0001, "OB", new byte[] {0, 1});
        element(group, 0x0002, "UI", padded(sopClassUid, (byte) 0));
        element(group, 0x0003, "UI", padded(sopInstanceUid, (byte) 0));
        element(group, 0x0010, "UI", padded(transferSyntaxUid, (byte) 0));
        element(group, 0x0012, "UI", padded(StoreProtocol.IMPLEMENTATION_CLASS_UID, (byte) 0));
        element(group, 0x0013, "SH", padded(StoreProtocol.IMPLEMENTATION_VERSION_NAME, (byte) ' '));
        if (!sourceAeTitle.isEmpty()) {
            element(group, 0x0016, "AE", padded(sourceAeTitle, (byte) ' '));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(132 + 12 + group.size());
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        element(out, 0x0000, "UL", ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(group.size()).array());
        out.writeBytes(group.toByteArray());
        return out.toByteArray();
    }

    private static void element(ByteArrayOutputStream out, int element, String vr, byte[] value) {
        boolean longForm = vr.equals("OB");
        ByteBuffer header = ByteBuffer.allocate(longForm ? 12 : 8).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x0002).putShort((short) element).put(vr.getBytes(StandardCharsets.US_ASCII));
        if (longForm) {
            header.putShort((short) 0).putInt(value.length);
        } else {
            header.putShort((short) value.length);
        }
        out.writeBytes(header.array());
        out.writeBytes(value);
    }

    private static byte[] padded(String value, byte pad) {
        return StoreProtocol.padded(StoreProtocol.ascii(value), pad);
    }
}
