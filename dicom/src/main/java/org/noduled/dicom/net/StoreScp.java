package org.noduled.dicom.net;

import com.pixelmed.dicom.TransferSyntax;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.DurableDisk;
import org.noduled.dicom.DurableFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's DICOM receiver: a C-STORE SCP for CT images (and C-ECHO), writing each image as a DICOM file into
 * the spool folder that {@code noduled serve} watches. An image is answered "success" only after its file is
 * fsynced and renamed into place, so a sender that saw success can forget it: a crash after that loses nothing.
 * Anything the node cannot keep is answered with a failure status the sender will retry or report.
 *
 * <p>Written on the project's own upper-layer code ({@link StoreProtocol}) rather than PixelMed's
 * {@code StorageSOPClassSCPDispatcher}, which listens on every interface, writes files without saying whether
 * they were fsynced before the response, and reports association release unreliably (DESIGN.md). Here the
 * listening address is configured, TCP_NODELAY is on, every read has a timeout, and {@link Listener#released}
 * fires once per released association with exactly the files it stored.
 */
public final class StoreScp implements AutoCloseable {

    /** CT Image Storage: the one SOP class the detector reads. */
    static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    /** Verification (C-ECHO), what PACS administrators use to test a new node. */
    static final String VERIFICATION = "1.2.840.10008.1.1";
    /** Transfer syntaxes accepted, fastest to load first: native pixels, then lossless ones the reader decodes. */
    static final List<String> TRANSFER_SYNTAXES = List.of(TransferSyntax.ExplicitVRLittleEndian,
            TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.JPEGLosslessSV1, TransferSyntax.JPEGLossless,
            TransferSyntax.RLE);
    /** The largest P-DATA PDU we ask senders for: large enough that a 512x512 slice is two PDUs. */
    static final int MAX_PDU_BYTES = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(StoreScp.class);
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    /** Our own unfinished writes ({@link DurableDisk#writeAtomically} names), never another sender's files. */
    private static final Pattern UNFINISHED = Pattern.compile(Pattern.quote(DurableDisk.TEMP_PREFIX)
            + "[0-9a-f]+-[0-9]+(\\.[0-9]+)*-[0-9a-f]{16}\\.dcm");
    private static final int STATUS_SUCCESS = 0x0000;
    private static final int STATUS_OUT_OF_RESOURCES = 0xA700;
    private static final int STATUS_SOP_CLASS_NOT_SUPPORTED = 0x0122;
    private static final int STATUS_CANNOT_UNDERSTAND = 0xC000;

    /**
     * @param aeTitle the node's AE title: associations calling another title are rejected
     * @param bindAddress the interface to listen on (0.0.0.0 for all)
     * @param port the TCP port (0: any free one, for tests)
     * @param spoolFolder where received images are written (the serve command's drop folder)
     * @param allowedCallingAeTitles senders allowed to store; empty allows any
     * @param maxAssociations associations served at once; more are rejected as transient, so senders retry
     * @param readTimeout how long a silent sender keeps its association before it is aborted
     * @param maxImageBytes the largest image accepted: an association sending a larger one is aborted, so a
     *     confused sender cannot exhaust the node's memory (a 512x512 CT slice is about 0.5 MB)
     * @param minFreeBytes images are refused ("out of resources", the sender keeps them) while the spool
     *     folder's file system has less free space than this, so a flood of images cannot fill the disk that the
     *     outbox and the results also need
     */
    public record Settings(String aeTitle, InetAddress bindAddress, int port, Path spoolFolder,
            Set<String> allowedCallingAeTitles, int maxAssociations, Duration readTimeout, int maxImageBytes,
            long minFreeBytes) {

        /** 64 MiB: a 4096x4096 16-bit slice fits; a multi-gigabyte stream does not. */
        public static final int DEFAULT_MAX_IMAGE_BYTES = 64 << 20;
        /** 1 GiB: several series of headroom for the pipeline, the outbox and the logs. */
        public static final long DEFAULT_MIN_FREE_BYTES = 1L << 30;

        public Settings {
            Objects.requireNonNull(aeTitle, "aeTitle");
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(spoolFolder, "spoolFolder");
            Objects.requireNonNull(readTimeout, "readTimeout");
            allowedCallingAeTitles = Set.copyOf(allowedCallingAeTitles);
            Destination.requireAeTitle("receive AE title", aeTitle);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("receive port must be 0..65535, got " + port);
            }
            if (maxAssociations < 1) {
                throw new IllegalArgumentException("at least one association must be allowed, got " + maxAssociations);
            }
            if (readTimeout.isNegative() || readTimeout.isZero()) {
                throw new IllegalArgumentException("read timeout must be positive, got " + readTimeout);
            }
            if (minFreeBytes < 0) {
                throw new IllegalArgumentException("free space to keep must not be negative, got " + minFreeBytes);
            }
            if (maxImageBytes < 1 << 16) {
                throw new IllegalArgumentException("the largest image accepted must be at least 64 KiB, got "
                        + maxImageBytes + " bytes");
            }
        }

        /** Whether anyone on any network this machine is on may store here. */
        public boolean openToAnyone() {
            return bindAddress.isAnyLocalAddress() && allowedCallingAeTitles.isEmpty();
        }
    }

    /** Told about each stored image and each released association, on the association's thread. */
    public interface Listener {
        /** The sender released its association normally after storing {@code stored} (possibly none). */
        void released(String callingAeTitle, List<Path> stored);

        /**
         * {@code file} is in place, whole and fsynced (it was renamed there complete), and will not change; the
         * sender is answered right after. Lets a watcher read it while the rest of the series still arrives.
         */
        default void stored(Path file) {
        }
    }

    private final Settings settings;
    private final Listener listener;
    private final ServerSocket server;
    private final Semaphore slots;
    private final Set<Socket> open = Collections.synchronizedSet(new HashSet<>());
    private final Thread acceptor;

    private StoreScp(Settings settings, Listener listener, ServerSocket server) {
        this.settings = settings;
        this.listener = listener;
        this.server = server;
        this.slots = new Semaphore(settings.maxAssociations());
        this.acceptor = new Thread(this::acceptLoop, "noduled-receive-" + server.getLocalPort());
        acceptor.setDaemon(true);
    }

    /** Listens at once; fails with what to change when the port is taken or the spool folder cannot be made. */
    public static StoreScp start(Settings settings, Listener listener) throws DicomException {
        Objects.requireNonNull(listener, "listener");
        try {
            Files.createDirectories(settings.spoolFolder());
            removeUnfinished(settings.spoolFolder());
        } catch (IOException e) {
            throw new DicomException("cannot create the receive folder " + settings.spoolFolder() + ": " + e
                    + "; check the path and its permissions", e);
        }
        ServerSocket server;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(settings.bindAddress(), settings.port()), 50);
        } catch (IOException e) {
            throw new DicomException("cannot listen for DICOM on " + settings.bindAddress().getHostAddress() + ":"
                    + settings.port() + ": " + e.getMessage() + "; is another DICOM node using this port? Choose "
                    + "another receive.port or stop the other program", e);
        }
        StoreScp scp = new StoreScp(settings, listener, server);
        scp.acceptor.start();
        return scp;
    }

    /**
     * Deletes images a crash interrupted before they were answered: the sender saw no success and sends them
     * again, and nothing else would ever remove them (the drop folder ignores names starting with '.').
     */
    private static void removeUnfinished(Path spool) throws IOException {
        try (var files = Files.list(spool)) {
            for (Path f : files.filter(p -> UNFINISHED.matcher(p.getFileName().toString()).matches()).toList()) {
                Files.deleteIfExists(f);
                LOG.info("removed {}: an image a stop interrupted before it was answered; its sender sends it again",
                        f.getFileName());
            }
        }
    }

    /** The port listened on (the configured one, or the one chosen for port 0). */
    public int port() {
        return server.getLocalPort();
    }

    /** Stops listening and aborts associations in progress; images already answered stay in the spool folder. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing the DICOM listener: {}", e.toString());
        }
        synchronized (open) {
            for (Socket socket : open) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.error("DICOM listener failed: {}; no more images are received", e.toString());
                }
                return;
            }
            open.add(socket);
            Thread association = new Thread(() -> serve(socket), "noduled-association");
            association.setDaemon(true);
            association.start();
        }
    }

    private void serve(Socket socket) {
        boolean slot = slots.tryAcquire();
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, settings.readTimeout().toMillis()));
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            StoreProtocol.Pdu request = StoreProtocol.read(in);
            if (request.type() != StoreProtocol.A_ASSOCIATE_RQ) {
                return;
            }
            StoreProtocol.Association association = StoreProtocol.parseAssociate(request.body());
            byte[] rejection = rejection(association, slot);
            if (rejection != null) {
                StoreProtocol.write(out, StoreProtocol.A_ASSOCIATE_RJ, rejection);
                out.flush();
                return;
            }
            List<StoreProtocol.PresentationContext> answers = answer(association.contexts());
            StoreProtocol.write(out, StoreProtocol.A_ASSOCIATE_AC,
                    StoreProtocol.associateAccept(association, answers, MAX_PDU_BYTES));
            out.flush();
            try {
                new Exchange(association, answers, in, out).run();
            } catch (ImageTooLarge | SocketTimeoutException e) {
                abort(out); // while the socket is still open: try-with-resources closes it before any catch
                throw e;
            }
        } catch (ImageTooLarge e) {
            LOG.error("DICOM association from {} aborted: it sent an image over {} MB (receive.maxImageMegabytes), "
                    + "not a CT slice this node reads; images answered before stay", socket.getInetAddress()
                    .getHostAddress(), settings.maxImageBytes() >> 20);
        } catch (SocketTimeoutException e) {
            LOG.warn("DICOM association from {} silent for {} s: aborted; images answered before stay",
                    socket.getInetAddress().getHostAddress(), settings.readTimeout().toSeconds());
        } catch (IOException | RuntimeException e) {
            if (!server.isClosed()) {
                LOG.warn("DICOM association from {} ended: {}; images answered before stay",
                        socket.getInetAddress().getHostAddress(), e.getMessage());
            }
        } finally {
            open.remove(socket);
            if (slot) {
                slots.release();
            }
        }
    }

    /** Thrown inside an exchange when a sender's image outgrows {@link Settings#maxImageBytes}. */
    private static final class ImageTooLarge extends IOException {
        ImageTooLarge() {
            super("image too large", null);
        }
    }

    /** A-ABORT from us (source 2: service provider); the sender may already be gone. */
    private static void abort(OutputStream out) {
        try {
            StoreProtocol.write(out, StoreProtocol.A_ABORT, StoreProtocol.abort(2, 0));
            out.flush();
        } catch (IOException e) {
            // the sender is gone already
        }
    }

    /** The A-ASSOCIATE-RJ body for a request we refuse (PS3.8 table 9-21), or null to accept it. */
    private byte[] rejection(StoreProtocol.Association association, boolean slot) {
        if (!settings.aeTitle().equals(association.calledAeTitle())) {
            LOG.warn("DICOM association from AE '{}' rejected: it called '{}', this node is '{}'",
                    association.callingAeTitle(), association.calledAeTitle(), settings.aeTitle());
            return StoreProtocol.associateReject(1, 1, 7);
        }
        if (!settings.allowedCallingAeTitles().isEmpty()
                && !settings.allowedCallingAeTitles().contains(association.callingAeTitle())) {
            LOG.warn("DICOM association from AE '{}' rejected: not in receive.allowedCallingAeTitles",
                    association.callingAeTitle());
            return StoreProtocol.associateReject(1, 1, 3);
        }
        if (!slot) {
            LOG.warn("DICOM association from AE '{}' rejected for now: {} associations already open",
                    association.callingAeTitle(), settings.maxAssociations());
            return StoreProtocol.associateReject(2, 3, 2);
        }
        return null;
    }

    private static List<StoreProtocol.PresentationContext> answer(List<StoreProtocol.PresentationContext> proposed) {
        List<StoreProtocol.PresentationContext> answers = new ArrayList<>();
        for (StoreProtocol.PresentationContext context : proposed) {
            String abstractSyntax = context.abstractSyntax();
            if (!abstractSyntax.equals(CT_IMAGE_STORAGE) && !abstractSyntax.equals(VERIFICATION)) {
                answers.add(new StoreProtocol.PresentationContext(context.id(), abstractSyntax, List.of(),
                        StoreProtocol.ABSTRACT_SYNTAX_NOT_SUPPORTED));
                continue;
            }
            String chosen = TRANSFER_SYNTAXES.stream().filter(context.transferSyntaxes()::contains).findFirst()
                    .orElse(null);
            answers.add(new StoreProtocol.PresentationContext(context.id(), abstractSyntax,
                    chosen == null ? List.of() : List.of(chosen),
                    chosen == null ? StoreProtocol.TRANSFER_SYNTAXES_NOT_SUPPORTED : StoreProtocol.ACCEPTANCE));
        }
        return answers;
    }

    /** One accepted association: commands and data sets until release or abort. */
    private final class Exchange {
        private final StoreProtocol.Association association;
        private final List<StoreProtocol.PresentationContext> contexts;
        private final InputStream in;
        private final OutputStream out;
        private final int peerMaxPdu;
        private final List<Path> stored = new ArrayList<>();
        private final ByteArrayOutputStream command = new ByteArrayOutputStream();
        private final ByteArrayOutputStream dataset = new ByteArrayOutputStream(1 << 19);
        private Map<Integer, byte[]> request;

        Exchange(StoreProtocol.Association association, List<StoreProtocol.PresentationContext> contexts,
                InputStream in, OutputStream out) {
            this.association = association;
            this.contexts = contexts;
            this.in = in;
            this.out = out;
            this.peerMaxPdu = association.maxPduLength();
        }

        void run() throws IOException {
            long startNanos = System.nanoTime();
            while (true) {
                StoreProtocol.Pdu pdu = StoreProtocol.read(in);
                if (pdu.type() == StoreProtocol.A_RELEASE_RQ) {
                    LOG.info("DICOM association from AE '{}' released: {} image(s) stored in {} ms",
                            association.callingAeTitle(), stored.size(), (System.nanoTime() - startNanos) / 1_000_000);
                    // told before the sender hears the release answer: once the sender is done, so is the node
                    listener.released(association.callingAeTitle(), List.copyOf(stored));
                    StoreProtocol.write(out, StoreProtocol.A_RELEASE_RP, StoreProtocol.releaseBody());
                    out.flush();
                    return;
                }
                if (pdu.type() == StoreProtocol.A_ABORT) {
                    LOG.warn("DICOM association from AE '{}' aborted by the sender after {} image(s); those stay",
                            association.callingAeTitle(), stored.size());
                    return;
                }
                if (pdu.type() != StoreProtocol.P_DATA_TF) {
                    throw new IOException("unexpected PDU type 0x" + Integer.toHexString(pdu.type()));
                }
                for (StoreProtocol.Pdv pdv : StoreProtocol.parsePData(pdu.body())) {
                    take(pdv);
                }
            }
        }

        private void take(StoreProtocol.Pdv pdv) throws IOException {
            if (pdv.command()) {
                command.writeBytes(pdv.data());
                if (!pdv.last()) {
                    return;
                }
                request = StoreProtocol.parseCommand(command.toByteArray());
                command.reset();
                int field = StoreProtocol.usValue(request.get(StoreProtocol.TAG_COMMAND_FIELD));
                if (field == StoreProtocol.C_ECHO_RQ) {
                    StoreProtocol.writePData(out, pdv.contextId(), true, StoreProtocol.echoResponse(messageId(),
                            VERIFICATION), peerMaxPdu);
                    request = null;
                } else if (field != StoreProtocol.C_STORE_RQ) {
                    throw new IOException("DIMSE command 0x" + Integer.toHexString(field) + " is not served here");
                }
                return;
            }
            if ((long) dataset.size() + pdv.data().length > settings.maxImageBytes()) {
                throw new ImageTooLarge();
            }
            dataset.writeBytes(pdv.data());
            if (!pdv.last() || request == null) {
                return;
            }
            String sopClass = StoreProtocol.stringValue(request.get(StoreProtocol.TAG_AFFECTED_SOP_CLASS_UID));
            String sopInstance = StoreProtocol.stringValue(request.get(StoreProtocol.TAG_AFFECTED_SOP_INSTANCE_UID));
            int status = store(pdv.contextId(), sopClass, sopInstance);
            StoreProtocol.writePData(out, pdv.contextId(), true, StoreProtocol.storeResponse(messageId(), sopClass,
                    sopInstance, status, comment(status)), peerMaxPdu);
            dataset.reset();
            request = null;
        }

        /** Writes the image durably and returns the C-STORE status to answer. */
        private int store(int contextId, String sopClass, String sopInstance) {
            if (!CT_IMAGE_STORAGE.equals(sopClass)) {
                return STATUS_SOP_CLASS_NOT_SUPPORTED;
            }
            if (!UID.matcher(sopInstance).matches() || sopInstance.length() > 64) {
                return STATUS_CANNOT_UNDERSTAND;
            }
            String syntax = contexts.stream().filter(c -> c.id() == contextId && c.accepted()).findFirst()
                    .map(c -> c.transferSyntaxes().get(0)).orElse(null);
            if (syntax == null) {
                return STATUS_CANNOT_UNDERSTAND;
            }
            byte[] meta = FileMetaHeader.of(sopClass, sopInstance, syntax, association.callingAeTitle());
            byte[] data = dataset.toByteArray();
            // A name of its own for every image received, never the name of one already there: a resend of an
            // instance while its series is being processed must not be overwritten, then deleted with it.
            Path target = settings.spoolFolder().resolve(String.format("%s-%016x.dcm", sopInstance,
                    ThreadLocalRandom.current().nextLong()));
            try {
                long free = Files.getFileStore(settings.spoolFolder()).getUsableSpace();
                if (free - meta.length - data.length < settings.minFreeBytes()) {
                    LOG.error("refused an image from AE '{}': {} MB free in {}, under the {} MB kept free "
                            + "(receive.minFreeMegabytes); answered 'out of resources' so the sender keeps it; free "
                            + "space on this disk", association.callingAeTitle(), free >> 20, settings.spoolFolder(),
                            settings.minFreeBytes() >> 20);
                    return STATUS_OUT_OF_RESOURCES;
                }
                DurableFile.write(target, meta, data);
            } catch (IOException e) {
                LOG.error("could not keep an image from AE '{}' in {}: {}; answered 'out of resources' so the "
                        + "sender keeps it; free space or fix the folder's permissions", association.callingAeTitle(),
                        settings.spoolFolder(), e.toString());
                return STATUS_OUT_OF_RESOURCES;
            }
            stored.add(target);
            try {
                listener.stored(target);
            } catch (RuntimeException e) { // the image is kept either way; the sender must hear so
                LOG.warn("after storing {}: {}", target.getFileName(), e.toString());
            }
            return STATUS_SUCCESS;
        }

        private int messageId() {
            return StoreProtocol.usValue(request.get(StoreProtocol.TAG_MESSAGE_ID));
        }

        private String comment(int status) {
            return switch (status) {
                case STATUS_SUCCESS -> null;
                case STATUS_OUT_OF_RESOURCES -> "noduled could not write the image to disk";
                case STATUS_SOP_CLASS_NOT_SUPPORTED -> "noduled reads CT Image Storage only";
                default -> "noduled could not take this image";
            };
        }
    }
}
