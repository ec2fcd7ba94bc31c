package org.noduled.dicom.net;

import com.pixelmed.dicom.TransferSyntax;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.noduled.dicom.sr.SrUid;

/**
 * The part of the DICOM upper layer protocol (PS3.8 9.3) and of DIMSE (PS3.7 9.3.1, 9.1.1) that a C-STORE
 * needs: association PDUs, P-DATA fragments and the C-STORE and C-ECHO command sets. Shared by {@link StoreScu},
 * {@link StoreScp} and the tests' fake PACS.
 *
 * <p>Written here rather than taken from PixelMed because PixelMed's association initiator opens its socket
 * without a connect timeout, reads the association answer without a read timeout and leaves Nagle on: a PACS
 * that accepts TCP and then stalls would hold our sender forever.
 */
final class StoreProtocol {

    static final int A_ASSOCIATE_RQ = 0x01;
    static final int A_ASSOCIATE_AC = 0x02;
    static final int A_ASSOCIATE_RJ = 0x03;
    static final int P_DATA_TF = 0x04;
    static final int A_RELEASE_RQ = 0x05;
    static final int A_RELEASE_RP = 0x06;
    static final int A_ABORT = 0x07;

    static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";
    static final String IMPLEMENTATION_CLASS_UID = SrUid.of("implementation|noduled");
    static final String IMPLEMENTATION_VERSION_NAME = "NODULED_0";

    /** Presentation context results (PS3.8 9.3.3.2). */
    static final int ACCEPTANCE = 0;
    static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    static final int C_STORE_RQ = 0x0001;
    static final int C_STORE_RSP = 0x8001;
    static final int C_ECHO_RQ = 0x0030;
    static final int C_ECHO_RSP = 0x8030;
    static final int TAG_AFFECTED_SOP_CLASS_UID = 0x0002;
    static final int TAG_COMMAND_FIELD = 0x0100;
    static final int TAG_MESSAGE_ID = 0x0110;
    static final int TAG_MESSAGE_ID_BEING_RESPONDED_TO = 0x0120;
    static final int TAG_PRIORITY = 0x0700;
    static final int TAG_COMMAND_DATA_SET_TYPE = 0x0800;
    static final int TAG_STATUS = 0x0900;
    static final int TAG_ERROR_COMMENT = 0x0902;
    static final int TAG_AFFECTED_SOP_INSTANCE_UID = 0x1000;
    private static final int DATA_SET_PRESENT = 0x0000;
    private static final int NO_DATA_SET = 0x0101;

    /** Larger PDUs than this are treated as garbage, so a confused peer cannot make us allocate gigabytes. */
    private static final int MAX_ACCEPTED_PDU_BYTES = 64 << 20;

    private StoreProtocol() {
    }

    /** One PDU: its type and the bytes after the 6-byte header. */
    record Pdu(int type, byte[] body) {
    }

    /** A presentation context as proposed (several transfer syntaxes) or answered (result, one syntax). */
    record PresentationContext(int id, String abstractSyntax, List<String> transferSyntaxes, int result) {

        PresentationContext {
            transferSyntaxes = List.copyOf(transferSyntaxes);
        }

        boolean accepted() {
            return result == ACCEPTANCE;
        }
    }

    /** The fields of an A-ASSOCIATE-RQ or -AC that C-STORE needs. */
    record Association(String calledAeTitle, String callingAeTitle, List<PresentationContext> contexts,
            int maxPduLength) {

        Association {
            contexts = List.copyOf(contexts);
        }
    }

    /** One presentation data value: a fragment of a command or data set. */
    record Pdv(int contextId, boolean command, boolean last, byte[] data) {
    }

    static Pdu read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int type;
        try {
            type = data.readUnsignedByte();
        } catch (EOFException e) {
            throw new EOFException("the peer closed the connection");
        }
        data.readUnsignedByte();
        long length = data.readInt() & 0xffffffffL;
        if (length > MAX_ACCEPTED_PDU_BYTES) {
            throw new IOException("PDU of type 0x" + Integer.toHexString(type) + " claims " + length
                    + " bytes: not a DICOM peer, or a confused one");
        }
        byte[] body = new byte[(int) length];
        data.readFully(body);
        return new Pdu(type, body);
    }

    static void write(OutputStream out, int type, byte[] body) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(6).put((byte) type).put((byte) 0).putInt(body.length);
        out.write(header.array());
        out.write(body);
    }

    static byte[] associateRequest(String calledAeTitle, String callingAeTitle, List<PresentationContext> proposed,
            int maxPduLength) {
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        for (PresentationContext context : proposed) {
            ByteArrayOutputStream sub = new ByteArrayOutputStream();
            writeItem(sub, 0x30, ascii(context.abstractSyntax()));
            for (String syntax : context.transferSyntaxes()) {
                writeItem(sub, 0x40, ascii(syntax));
            }
            writeItem(items, 0x20, concat(new byte[] {(byte) context.id(), 0, 0, 0}, sub.toByteArray()));
        }
        return associateBody(calledAeTitle, callingAeTitle, items.toByteArray(), maxPduLength);
    }

    static byte[] associateAccept(Association request, List<PresentationContext> answers, int maxPduLength) {
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        for (PresentationContext context : answers) {
            ByteArrayOutputStream sub = new ByteArrayOutputStream();
            writeItem(sub, 0x40, ascii(context.transferSyntaxes().isEmpty() ? TransferSyntax.ImplicitVRLittleEndian
                    : context.transferSyntaxes().get(0)));
            writeItem(items, 0x21, concat(new byte[] {(byte) context.id(), 0, (byte) context.result(), 0},
                    sub.toByteArray()));
        }
        return associateBody(request.calledAeTitle(), request.callingAeTitle(), items.toByteArray(), maxPduLength);
    }

    /** Parses the body of an A-ASSOCIATE-RQ or -AC PDU. */
    static Association parseAssociate(byte[] body) {
        ByteBuffer buffer = ByteBuffer.wrap(body);
        if (body.length < 68) {
            throw new IllegalArgumentException("association PDU too short: " + body.length + " bytes");
        }
        buffer.position(4);
        String called = asciiField(buffer, 16);
        String calling = asciiField(buffer, 16);
        buffer.position(68);
        List<PresentationContext> contexts = new ArrayList<>();
        int maxPduLength = 0;
        while (buffer.remaining() >= 4) {
            int itemType = buffer.get() & 0xff;
            buffer.get();
            int itemLength = buffer.getShort() & 0xffff;
            ByteBuffer item = buffer.slice(buffer.position(), itemLength);
            buffer.position(buffer.position() + itemLength);
            if (itemType == 0x20 || itemType == 0x21) {
                int id = item.get() & 0xff;
                item.get();
                int result = item.get() & 0xff;
                item.get();
                String abstractSyntax = "";
                List<String> syntaxes = new ArrayList<>();
                while (item.remaining() >= 4) {
                    int subType = item.get() & 0xff;
                    item.get();
                    String uid = asciiField(item, item.getShort() & 0xffff);
                    if (subType == 0x30) {
                        abstractSyntax = uid;
                    } else if (subType == 0x40) {
                        syntaxes.add(uid);
                    }
                }
                contexts.add(new PresentationContext(id, abstractSyntax, syntaxes,
                        itemType == 0x20 ? ACCEPTANCE : result));
            } else if (itemType == 0x50) {
                while (item.remaining() >= 4) {
                    int subType = item.get() & 0xff;
                    item.get();
                    int subLength = item.getShort() & 0xffff;
                    if (subType == 0x51 && subLength == 4) {
                        maxPduLength = item.getInt();
                    } else {
                        item.position(item.position() + subLength);
                    }
                }
            }
        }
        return new Association(called, calling, contexts, maxPduLength);
    }

    static byte[] associateReject(int result, int source, int reason) {
        return new byte[] {0, (byte) result, (byte) source, (byte) reason};
    }

    static byte[] abort(int source, int reason) {
        return new byte[] {0, 0, (byte) source, (byte) reason};
    }

    static byte[] releaseBody() {
        return new byte[4];
    }

    /** Sends {@code data} as P-DATA-TF PDUs, each no longer than the peer's maximum (0 = no limit). */
    static void writePData(OutputStream out, int contextId, boolean command, byte[] data, int peerMaxPduLength)
            throws IOException {
        int maxFragment = Math.max(1, (peerMaxPduLength <= 0 ? 1 << 16 : Math.min(peerMaxPduLength, 1 << 20)) - 6);
        int offset = 0;
        do {
            int length = Math.min(maxFragment, data.length - offset);
            boolean last = offset + length == data.length;
            ByteBuffer pdv = ByteBuffer.allocate(6 + length)
                    .putInt(length + 2)
                    .put((byte) contextId)
                    .put((byte) ((command ? 0x01 : 0x00) | (last ? 0x02 : 0x00)))
                    .put(data, offset, length);
            write(out, P_DATA_TF, pdv.array());
            offset += length;
        } while (offset < data.length);
        out.flush();
    }

    static List<Pdv> parsePData(byte[] body) {
        List<Pdv> pdvs = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(body);
        while (buffer.remaining() >= 6) {
            int length = buffer.getInt();
            int contextId = buffer.get() & 0xff;
            int control = buffer.get() & 0xff;
            byte[] data = new byte[length - 2];
            buffer.get(data);
            pdvs.add(new Pdv(contextId, (control & 0x01) != 0, (control & 0x02) != 0, data));
        }
        return pdvs;
    }

    static byte[] storeRequest(int messageId, String sopClassUid, String sopInstanceUid) {
        Map<Integer, byte[]> elements = new LinkedHashMap<>();
        elements.put(TAG_AFFECTED_SOP_CLASS_UID, uid(sopClassUid));
        elements.put(TAG_COMMAND_FIELD, us(C_STORE_RQ));
        elements.put(TAG_MESSAGE_ID, us(messageId));
        elements.put(TAG_PRIORITY, us(0));
        elements.put(TAG_COMMAND_DATA_SET_TYPE, us(DATA_SET_PRESENT));
        elements.put(TAG_AFFECTED_SOP_INSTANCE_UID, uid(sopInstanceUid));
        return command(elements);
    }

    static byte[] storeResponse(int messageId, String sopClassUid, String sopInstanceUid, int status,
            String errorComment) {
        Map<Integer, byte[]> elements = new LinkedHashMap<>();
        elements.put(TAG_AFFECTED_SOP_CLASS_UID, uid(sopClassUid));
        elements.put(TAG_COMMAND_FIELD, us(C_STORE_RSP));
        elements.put(TAG_MESSAGE_ID_BEING_RESPONDED_TO, us(messageId));
        elements.put(TAG_COMMAND_DATA_SET_TYPE, us(NO_DATA_SET));
        elements.put(TAG_STATUS, us(status));
        if (errorComment != null) {
            elements.put(TAG_ERROR_COMMENT, padded(ascii(errorComment), (byte) ' '));
        }
        elements.put(TAG_AFFECTED_SOP_INSTANCE_UID, uid(sopInstanceUid));
        return command(elements);
    }

    static byte[] echoRequest(int messageId) {
        Map<Integer, byte[]> elements = new LinkedHashMap<>();
        elements.put(TAG_AFFECTED_SOP_CLASS_UID, uid(StoreScp.VERIFICATION));
        elements.put(TAG_COMMAND_FIELD, us(C_ECHO_RQ));
        elements.put(TAG_MESSAGE_ID, us(messageId));
        elements.put(TAG_COMMAND_DATA_SET_TYPE, us(NO_DATA_SET));
        return command(elements);
    }

    static byte[] echoResponse(int messageId, String sopClassUid) {
        Map<Integer, byte[]> elements = new LinkedHashMap<>();
        elements.put(TAG_AFFECTED_SOP_CLASS_UID, uid(sopClassUid));
        elements.put(TAG_COMMAND_FIELD, us(C_ECHO_RSP));
        elements.put(TAG_MESSAGE_ID_BEING_RESPONDED_TO, us(messageId));
        elements.put(TAG_COMMAND_DATA_SET_TYPE, us(NO_DATA_SET));
        elements.put(TAG_STATUS, us(0));
        return command(elements);
    }

    /** The elements of a command set (group 0000, implicit VR little endian) by element number. */
    static Map<Integer, byte[]> parseCommand(byte[] command) {
        Map<Integer, byte[]> elements = new LinkedHashMap<>();
        ByteBuffer buffer = ByteBuffer.wrap(command).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.remaining() >= 8) {
            buffer.getShort();
            int element = buffer.getShort() & 0xffff;
            int length = buffer.getInt();
            if (length < 0 || length > buffer.remaining()) {
                throw new IllegalArgumentException("command element (0000," + String.format("%04X", element)
                        + ") claims " + length + " bytes, " + buffer.remaining() + " left");
            }
            byte[] value = new byte[length];
            buffer.get(value);
            elements.put(element, value);
        }
        return elements;
    }

    static int usValue(byte[] value) {
        return value == null || value.length < 2 ? -1 : (value[0] & 0xff) | (value[1] & 0xff) << 8;
    }

    static String stringValue(byte[] value) {
        return value == null ? "" : new String(value, StandardCharsets.US_ASCII).replace("\0", "").strip();
    }

    private static byte[] command(Map<Integer, byte[]> elements) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        elements.forEach((element, value) -> writeElement(body, element, value));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        writeElement(all, 0x0000, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(body.size()).array());
        all.writeBytes(body.toByteArray());
        return all.toByteArray();
    }

    private static void writeElement(ByteArrayOutputStream out, int element, byte[] value) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0).putShort((short) element).putInt(value.length).array());
        out.writeBytes(value);
    }

    private static byte[] us(int value) {
        return new byte[] {(byte) value, (byte) (value >> 8)};
    }

    private static byte[] uid(String uid) {
        return padded(ascii(uid), (byte) 0);
    }

    /** {@code value} padded to an even length with {@code pad} (PS3.5 6.2: 0 for UI, space for text). */
    static byte[] padded(byte[] value, byte pad) {
        if (value.length % 2 == 0) {
            return value;
        }
        byte[] even = new byte[value.length + 1];
        System.arraycopy(value, 0, even, 0, value.length);
        even[value.length] = pad;
        return even;
    }

    private static byte[] associateBody(String calledAeTitle, String callingAeTitle, byte[] contextItems,
            int maxPduLength) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 1, 0, 0}); // protocol version 1, reserved
        body.writeBytes(aeField(calledAeTitle));
        body.writeBytes(aeField(callingAeTitle));
        body.writeBytes(new byte[32]);
        writeItem(body, 0x10, ascii(APPLICATION_CONTEXT));
        body.writeBytes(contextItems);
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        writeItem(user, 0x51, ByteBuffer.allocate(4).putInt(maxPduLength).array());
        writeItem(user, 0x52, ascii(IMPLEMENTATION_CLASS_UID));
        writeItem(user, 0x55, ascii(IMPLEMENTATION_VERSION_NAME));
        writeItem(body, 0x50, user.toByteArray());
        return body.toByteArray();
    }

    private static void writeItem(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type);
        out.write(0);
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
    }

    private static byte[] aeField(String aeTitle) {
        byte[] field = new byte[16];
        java.util.Arrays.fill(field, (byte) ' ');
        byte[] title = ascii(aeTitle);
        System.arraycopy(title, 0, field, 0, Math.min(16, title.length));
        return field;
    }

    private static String asciiField(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII).replace("\0", "").strip();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
