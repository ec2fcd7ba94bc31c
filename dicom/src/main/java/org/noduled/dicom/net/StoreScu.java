package org.noduled.dicom.net;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TransferSyntax;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.sr.MeasurementReportBuilder;
import org.noduled.preprocess.ShortUid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one DICOM Part 10 file to one destination by C-STORE, in one association of its own: connect (with a
 * connect timeout, TCP_NODELAY on), associate, store, release. Every wait on the peer is bounded by the
 * destination's read timeout. Never throws for what the network or the PACS does: the {@link StoreResult}
 * says what happened and what to do.
 */
public final class StoreScu {

    private static final Logger log = LoggerFactory.getLogger(StoreScu.class);
    private static final int OUR_MAX_PDU_LENGTH = 16_384;
    private static final int CONTEXT_ID = 1;
    private static final int MESSAGE_ID = 1;

    public StoreResult store(Destination destination, byte[] part10) {
        Part10 file;
        try {
            file = Part10.parse(part10);
        } catch (IllegalArgumentException e) {
            return StoreResult.refused(-1, e.getMessage());
        }
        return converse(destination, file.sopClassUid(), List.of(TransferSyntax.ExplicitVRLittleEndian,
                TransferSyntax.ImplicitVRLittleEndian), context -> StoreResult.refused(-1, "PACS " + destination
                        + " does not accept " + file.sopClassName() + " (" + file.sopClassUid() + ") from "
                        + destination.callingAeTitle() + ": configure it to accept structured reports"
                        + (context == null ? "" : " (presentation context result " + context.result() + ")")),
                (accepted, context, in, out) -> storeIn(destination, file, accepted, context, in, out));
    }

    /**
     * C-ECHO (Verification): whether the destination accepts an association from us and answers; the result's
     * outcome is STORED when it answered success.
     */
    StoreResult echo(Destination destination) {
        return converse(destination, StoreScp.VERIFICATION, List.of(TransferSyntax.ImplicitVRLittleEndian),
                context -> StoreResult.refused(-1, "PACS " + destination + " does not accept Verification (C-ECHO)"
                        + " from " + destination.callingAeTitle()),
                (accepted, context, in, out) -> {
                    StoreProtocol.writePData(out, CONTEXT_ID, true, StoreProtocol.echoRequest(MESSAGE_ID),
                            accepted.maxPduLength());
                    Map<Integer, byte[]> response = readCommand(in, out, destination);
                    if (response == null) {
                        return StoreResult.unreachable("PACS " + destination + " aborted the association instead of"
                                + " answering C-ECHO");
                    }
                    int status = StoreProtocol.usValue(response.get(StoreProtocol.TAG_STATUS));
                    release(in, out, destination);
                    return status == 0 ? StoreResult.stored(status) : StoreResult.refused(status, "PACS "
                            + destination + " answered C-ECHO with status 0x" + String.format("%04X", status));
                });
    }

    /** What is said once the association stands and the one presentation context is accepted. */
    private interface Conversation {
        StoreResult talk(StoreProtocol.Association accepted, StoreProtocol.PresentationContext context,
                InputStream in, OutputStream out) throws IOException;
    }

    /** Connect, associate proposing one context, then {@code conversation}; every network failure in words. */
    private StoreResult converse(Destination destination, String abstractSyntax, List<String> transferSyntaxes,
            java.util.function.Function<StoreProtocol.PresentationContext, StoreResult> notAccepted,
            Conversation conversation) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) destination.readTimeout().toMillis());
            socket.connect(new InetSocketAddress(destination.host(), destination.port()),
                    (int) destination.connectTimeout().toMillis());
        } catch (UnknownHostException e) {
            close(socket);
            return StoreResult.unreachable("host '" + destination.host() + "' of PACS " + destination
                    + " is unknown: check the host name in the configuration and DNS");
        } catch (ConnectException | NoRouteToHostException e) {
            close(socket);
            return StoreResult.unreachable("PACS " + destination + " refused the connection (" + e.getMessage()
                    + "): check that it is running and that host and port are right");
        } catch (SocketTimeoutException e) {
            close(socket);
            return StoreResult.unreachable("PACS " + destination + " did not accept a connection within "
                    + destination.connectTimeout().toMillis() + " ms: check host, port and firewalls");
        } catch (IOException e) {
            close(socket);
            return StoreResult.unreachable("could not connect to PACS " + destination + ": " + e);
        }
        try (socket) {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            StoreProtocol.PresentationContext proposed = new StoreProtocol.PresentationContext(CONTEXT_ID,
                    abstractSyntax, transferSyntaxes, StoreProtocol.ACCEPTANCE);
            StoreProtocol.write(out, StoreProtocol.A_ASSOCIATE_RQ, StoreProtocol.associateRequest(
                    destination.calledAeTitle(), destination.callingAeTitle(), List.of(proposed), OUR_MAX_PDU_LENGTH));
            out.flush();
            StoreProtocol.Pdu answer = StoreProtocol.read(in);
            switch (answer.type()) {
                case StoreProtocol.A_ASSOCIATE_AC -> {
                }
                case StoreProtocol.A_ASSOCIATE_RJ -> {
                    return StoreResult.unreachable("PACS " + destination + " rejected the association: "
                            + describeRejection(answer.body(), destination));
                }
                case StoreProtocol.A_ABORT -> {
                    return StoreResult.unreachable("PACS " + destination + " aborted the association request"
                            + describeAbort(answer.body()) + ": check its logs and the AE titles");
                }
                default -> {
                    abort(out);
                    return StoreResult.unreachable("PACS " + destination + " answered the association request with"
                            + " PDU type 0x" + Integer.toHexString(answer.type()) + ": is it a DICOM port?");
                }
            }
            StoreProtocol.Association accepted = StoreProtocol.parseAssociate(answer.body());
            StoreProtocol.PresentationContext context = accepted.contexts().stream()
                    .filter(c -> c.id() == CONTEXT_ID).findFirst().orElse(null);
            if (context == null || !context.accepted()) {
                release(in, out, destination);
                return notAccepted.apply(context);
            }
            return conversation.talk(accepted, context, in, out);
        } catch (SocketTimeoutException e) {
            return StoreResult.unreachable("PACS " + destination + " stopped answering (nothing for "
                    + destination.readTimeout().toMillis() + " ms, the read timeout): check its load and logs");
        } catch (IOException e) {
            return StoreResult.unreachable("connection to PACS " + destination + " broke: " + e.getMessage());
        }
    }

    private StoreResult storeIn(Destination destination, Part10 file, StoreProtocol.Association accepted,
            StoreProtocol.PresentationContext context, InputStream in, OutputStream out) throws IOException {
        String syntax = context.transferSyntaxes().isEmpty() ? "" : context.transferSyntaxes().get(0);
        byte[] dataset = file.datasetIn(syntax);
        StoreProtocol.writePData(out, CONTEXT_ID, true,
                StoreProtocol.storeRequest(MESSAGE_ID, file.sopClassUid(), file.sopInstanceUid()),
                accepted.maxPduLength());
        StoreProtocol.writePData(out, CONTEXT_ID, false, dataset, accepted.maxPduLength());

        Map<Integer, byte[]> response = readCommand(in, out, destination);
        if (response == null) {
            return StoreResult.unreachable("PACS " + destination + " aborted the association during the transfer"
                    + " of SR " + ShortUid.of(file.sopInstanceUid()) + ": check its logs (disk space, limits)");
        }
        int status = StoreProtocol.usValue(response.get(StoreProtocol.TAG_STATUS));
        String comment = StoreProtocol.stringValue(response.get(StoreProtocol.TAG_ERROR_COMMENT));
        release(in, out, destination);
        if (StoreResult.isStoredStatus(status)) {
            return StoreResult.stored(status);
        }
        return StoreResult.refused(status, "PACS " + destination + " refused SR "
                + ShortUid.of(file.sopInstanceUid()) + " with status 0x" + String.format("%04X", status) + " ("
                + StoreResult.describeFailure(status) + (comment.isEmpty() ? "" : ": " + comment)
                + "): check the PACS's logs and its storage settings for structured reports");
    }

    /** Reads P-DATA until a whole command arrives; null if the peer aborted. */
    private static Map<Integer, byte[]> readCommand(InputStream in, OutputStream out, Destination destination)
            throws IOException {
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        while (true) {
            StoreProtocol.Pdu pdu = StoreProtocol.read(in);
            if (pdu.type() == StoreProtocol.A_ABORT) {
                return null;
            }
            if (pdu.type() != StoreProtocol.P_DATA_TF) {
                abort(out);
                throw new IOException("PACS " + destination + " sent PDU type 0x" + Integer.toHexString(pdu.type())
                        + " instead of the C-STORE response");
            }
            for (StoreProtocol.Pdv pdv : StoreProtocol.parsePData(pdu.body())) {
                if (pdv.command()) {
                    command.writeBytes(pdv.data());
                    if (pdv.last()) {
                        return StoreProtocol.parseCommand(command.toByteArray());
                    }
                }
            }
        }
    }

    /** Releases politely; the store's outcome is already known, so a failure here only gets a debug line. */
    private static void release(InputStream in, OutputStream out, Destination destination) {
        try {
            StoreProtocol.write(out, StoreProtocol.A_RELEASE_RQ, StoreProtocol.releaseBody());
            out.flush();
            StoreProtocol.Pdu answer = StoreProtocol.read(in);
            if (answer.type() != StoreProtocol.A_RELEASE_RP) {
                log.debug("PACS {} answered the release with PDU type 0x{}", destination,
                        Integer.toHexString(answer.type()));
            }
        } catch (IOException e) {
            log.debug("release of the association with PACS {} failed: {}", destination, e.toString());
        }
    }

    private static void abort(OutputStream out) {
        try {
            StoreProtocol.write(out, StoreProtocol.A_ABORT, StoreProtocol.abort(0, 0));
            out.flush();
        } catch (IOException e) {
            // the connection is being dropped anyway
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing was sent on it
        }
    }

    /** PS3.8 9.3.4: result, source, reason of an A-ASSOCIATE-RJ, in words. */
    static String describeRejection(byte[] body, Destination destination) {
        int result = body.length > 1 ? body[1] & 0xff : 0;
        int source = body.length > 2 ? body[2] & 0xff : 0;
        int reason = body.length > 3 ? body[3] & 0xff : 0;
        String why;
        if (source == 1 && reason == 3) {
            why = "calling AE title '" + destination.callingAeTitle() + "' not recognized: register it at the PACS";
        } else if (source == 1 && reason == 7) {
            why = "called AE title '" + destination.calledAeTitle() + "' not recognized: check it in the"
                    + " configuration";
        } else if (source == 1 && reason == 2) {
            why = "application context not supported";
        } else if (source == 3 && (reason == 1 || reason == 2)) {
            why = "PACS busy (" + (reason == 1 ? "temporary congestion" : "local limit exceeded") + ")";
        } else {
            why = "source " + source + ", reason " + reason;
        }
        return why + (result == 1 ? " (permanent)" : result == 2 ? " (transient)" : "");
    }

    private static String describeAbort(byte[] body) {
        return body.length >= 4 ? " (source " + (body[2] & 0xff) + ", reason " + (body[3] & 0xff) + ")" : "";
    }

    /** What a C-STORE needs from a Part 10 file: its UIDs and where the data set starts. */
    record Part10(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, byte[] bytes,
            int datasetOffset) {

        private static final List<String> LONG_VRS = List.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC",
                "UN", "UR", "UT", "UV");

        static Part10 parse(byte[] bytes) {
            if (bytes.length < 132 || bytes[128] != 'D' || bytes[129] != 'I' || bytes[130] != 'C'
                    || bytes[131] != 'M') {
                throw new IllegalArgumentException("an outbox file is not a DICOM Part 10 file (no DICM"
                        + " preamble); move it out of the outbox folder and report it");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            buffer.position(132);
            Map<Integer, String> meta = new java.util.HashMap<>();
            try {
                while (buffer.remaining() >= 8 && (buffer.getShort(buffer.position()) & 0xffff) == 0x0002) {
                    buffer.getShort();
                    int element = buffer.getShort() & 0xffff;
                    String vr = new String(new byte[] {buffer.get(), buffer.get()}, StandardCharsets.US_ASCII);
                    int length;
                    if (LONG_VRS.contains(vr)) {
                        buffer.getShort();
                        length = buffer.getInt();
                    } else {
                        length = buffer.getShort() & 0xffff;
                    }
                    byte[] value = new byte[length];
                    buffer.get(value);
                    meta.put(element, StoreProtocol.stringValue(value));
                }
            } catch (BufferUnderflowException | NegativeArraySizeException e) {
                throw new IllegalArgumentException("an outbox file ends inside its file meta information; move it"
                        + " out of the outbox folder and report it", e);
            }
            String sopClass = meta.get(0x0002);
            String sopInstance = meta.get(0x0003);
            String syntax = meta.get(0x0010);
            if (sopClass == null || sopInstance == null || syntax == null) {
                throw new IllegalArgumentException("an outbox file lacks its SOP Class, SOP Instance or Transfer"
                        + " Syntax UID in the file meta information; move it out of the outbox folder and report it");
            }
            return new Part10(sopClass, sopInstance, syntax, bytes, buffer.position());
        }

        String sopClassName() {
            return MeasurementReportBuilder.SOP_CLASS_UID.equals(sopClassUid) ? "Comprehensive 3D SR Storage"
                    : "SOP class";
        }

        /** The data set encoded in {@code syntax}: as stored when it matches, else re-encoded by PixelMed. */
        byte[] datasetIn(String syntax) throws IOException {
            if (syntax.equals(transferSyntaxUid)) {
                byte[] dataset = new byte[bytes.length - datasetOffset];
                System.arraycopy(bytes, datasetOffset, dataset, 0, dataset.length);
                return dataset;
            }
            try {
                AttributeList list = new AttributeList();
                list.read(new DicomInputStream(new ByteArrayInputStream(bytes)));
                list.removeMetaInformationHeaderAttributes();
                list.removeGroupLengthAttributes();
                ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
                list.write(out, syntax, false, true);
                return out.toByteArray();
            } catch (com.pixelmed.dicom.DicomException e) {
                throw new IllegalStateException("could not re-encode SR " + ShortUid.of(sopInstanceUid)
                        + " in transfer syntax " + syntax + ": " + e.getMessage() + " (please report this)", e);
            }
        }
    }
}
