package org.noduled.dicom.net;

import com.pixelmed.dicom.TransferSyntax;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A PACS on a loopback port that misbehaves on demand (after OkHttp's MockWebServer socket policies): it
 * stores, answers a chosen status, rejects the association, stalls, aborts or hangs up.
 */
public final class FakePacs implements AutoCloseable {

    public enum Behaviour {
        /** Accept, store, answer {@link #status}. */
        ANSWER,
        /** Answer the association request with A-ASSOCIATE-RJ (permanent, called AE title not recognized). */
        REJECT_ASSOCIATION,
        /** Accept TCP, read the association request, never answer. */
        STALL_ASSOCIATION,
        /** Accept the association and the data, never answer the C-STORE. */
        STALL_RESPONSE,
        /** Accept the association and the data, then send A-ABORT instead of a response. */
        ABORT_AFTER_DATA,
        /** Close the connection as soon as it is accepted. */
        HANG_UP
    }

    /** One object as received: its UIDs, the transfer syntax it came in, the data set bytes. */
    public record Received(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, byte[] dataset) {
    }

    public static final String AE_TITLE = "FAKEPACS";
    public volatile Behaviour behaviour = Behaviour.ANSWER;
    public volatile int status = 0x0000;
    /** Accept only implicit VR little endian, as some old PACS do. */
    public volatile boolean implicitOnly;
    /** Reports answered with 0xA900 whatever {@link #status} says: one poisoned report among good ones. */
    public final Set<String> refusedSopInstanceUids = ConcurrentHashMap.newKeySet();
    public final AtomicInteger associations = new AtomicInteger();
    public final List<Received> received = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());

    public FakePacs() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fake-pacs-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public Destination destination() {
        return Destination.of("fake", AE_TITLE, "127.0.0.1", port());
    }

    public List<String> receivedSopInstanceUids() {
        return received.stream().map(Received::sopInstanceUid).toList();
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread handler = new Thread(() -> serve(socket), "fake-pacs-association");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            associations.incrementAndGet();
            Behaviour now = behaviour;
            if (now == Behaviour.HANG_UP) {
                return;
            }
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            StoreProtocol.Pdu request = StoreProtocol.read(in);
            if (request.type() != StoreProtocol.A_ASSOCIATE_RQ) {
                return;
            }
            if (now == Behaviour.STALL_ASSOCIATION) {
                in.read(); // blocks until the peer gives up
                return;
            }
            if (now == Behaviour.REJECT_ASSOCIATION) {
                StoreProtocol.write(out, StoreProtocol.A_ASSOCIATE_RJ, StoreProtocol.associateReject(1, 1, 7));
                out.flush();
                return;
            }
            StoreProtocol.Association association = StoreProtocol.parseAssociate(request.body());
            List<StoreProtocol.PresentationContext> answers = new ArrayList<>();
            for (StoreProtocol.PresentationContext proposed : association.contexts()) {
                String wanted = implicitOnly ? TransferSyntax.ImplicitVRLittleEndian
                        : TransferSyntax.ExplicitVRLittleEndian;
                int result = proposed.transferSyntaxes().contains(wanted) ? StoreProtocol.ACCEPTANCE
                        : StoreProtocol.TRANSFER_SYNTAXES_NOT_SUPPORTED;
                answers.add(new StoreProtocol.PresentationContext(proposed.id(), proposed.abstractSyntax(),
                        List.of(wanted), result));
            }
            StoreProtocol.write(out, StoreProtocol.A_ASSOCIATE_AC, StoreProtocol.associateAccept(association, answers,
                    8192));
            out.flush();
            storeLoop(in, out, answers, now);
        } catch (IOException e) {
            // the peer went away: what a PACS sees all the time
        }
    }

    private void storeLoop(InputStream in, OutputStream out, List<StoreProtocol.PresentationContext> contexts,
            Behaviour now) throws IOException {
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        ByteArrayOutputStream dataset = new ByteArrayOutputStream();
        Map<Integer, byte[]> request = null;
        int contextId = 0;
        while (true) {
            StoreProtocol.Pdu pdu = StoreProtocol.read(in);
            if (pdu.type() == StoreProtocol.A_RELEASE_RQ) {
                StoreProtocol.write(out, StoreProtocol.A_RELEASE_RP, StoreProtocol.releaseBody());
                out.flush();
                return;
            }
            if (pdu.type() != StoreProtocol.P_DATA_TF) {
                return;
            }
            for (StoreProtocol.Pdv pdv : StoreProtocol.parsePData(pdu.body())) {
                contextId = pdv.contextId();
                if (pdv.command()) {
                    command.writeBytes(pdv.data());
                    if (pdv.last()) {
                        request = StoreProtocol.parseCommand(command.toByteArray());
                        command.reset();
                    }
                    continue;
                }
                dataset.writeBytes(pdv.data());
                if (!pdv.last() || request == null) {
                    continue;
                }
                String sopClass = StoreProtocol.stringValue(request.get(StoreProtocol.TAG_AFFECTED_SOP_CLASS_UID));
                String sopInstance = StoreProtocol.stringValue(
                        request.get(StoreProtocol.TAG_AFFECTED_SOP_INSTANCE_UID));
                int messageId = StoreProtocol.usValue(request.get(StoreProtocol.TAG_MESSAGE_ID));
                if (now == Behaviour.STALL_RESPONSE) {
                    in.read();
                    return;
                }
                if (now == Behaviour.ABORT_AFTER_DATA) {
                    StoreProtocol.write(out, StoreProtocol.A_ABORT, StoreProtocol.abort(2, 0));
                    out.flush();
                    return;
                }
                int answer = refusedSopInstanceUids.contains(sopInstance) ? 0xA900 : status;
                if (StoreResult.isStoredStatus(answer)) {
                    int id = contextId;
                    String syntax = contexts.stream().filter(c -> c.id() == id).findFirst()
                            .map(c -> c.transferSyntaxes().get(0)).orElse("");
                    received.add(new Received(sopClass, sopInstance, syntax, dataset.toByteArray()));
                }
                dataset.reset();
                StoreProtocol.writePData(out, contextId, true, StoreProtocol.storeResponse(messageId, sopClass,
                        sopInstance, answer, answer == 0 ? null : "fake PACS says no"), 8192);
                request = null;
            }
        }
    }
}
