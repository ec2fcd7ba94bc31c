package org.noduled.dicom.outbox;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.DurableDisk;
import org.noduled.dicom.net.Destination;
import org.noduled.dicom.net.StoreResult;
import org.noduled.dicom.net.StoreScu;
import org.noduled.dicom.sr.MeasurementReport;
import org.noduled.preprocess.ShortUid;

/**
 * A folder of SRs waiting for their destinations, and the threads that deliver them.
 *
 * <p>On disk: {@code <SR SOP Instance UID>.dcm} per report and an empty marker
 * {@code <SR SOP Instance UID>@<destination name>.delivered} per destination that answered success; every
 * write goes through a temporary file, fsync, atomic rename and an fsync of the folder. A report leaves the
 * outbox (file first, then its markers) once every configured destination has a marker. After a crash or
 * {@code kill -9} the folder alone says what is left to do: temporary files are dropped, markers without a
 * report are dropped, everything else is sent to the destinations without a marker.
 *
 * <p>Delivery is at least once: a crash between a PACS's success answer and the marker's fsync sends the
 * report again. The receiver sees the same SOP Instance UID again and keeps one instance, which is why the
 * UIDs are deterministic. See OUTBOX.md.
 *
 * <p>Each destination has its own sender thread and backoff, so a PACS that is down or slow does not delay
 * the others. A PACS that refuses one report (a failure status) backs off for that report only.
 */
public final class Outbox implements AutoCloseable {

    private static final String REPORT_SUFFIX = ".dcm";
    private static final String MARKER_SUFFIX = ".delivered";

    private final Path directory;
    private final List<Destination> destinations;
    private final OutboxBackoff backoff;
    private final OutboxListener listener;
    private final Clock clock;
    private final RandomGenerator random;
    private final DurableDisk disk;
    private final BiFunction<Destination, byte[], StoreResult> sender;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Pending reports by SR SOP Instance UID, oldest first. Guarded by {@link #lock}. */
    private final Map<String, Report> reports = new LinkedHashMap<>();
    /** Consecutive failures to reach each destination, by name. Guarded by {@link #lock}. */
    private final Map<String, Retry> reachability = new HashMap<>();
    private final List<Thread> senders = new ArrayList<>();
    /** Bumped by every submit, so a sender never sleeps through one. Guarded by {@link #lock}. */
    private long submissions;
    private volatile boolean closed;

    /** One pending report. */
    private static final class Report {
        final String sopInstanceUid;
        String sourceSeriesUid;
        /** Bumped when a resubmission replaces the file, so a send of the old bytes marks nothing. */
        long generation;
        final Set<String> deliveredTo = new HashSet<>();
        /** Refusals of this report by destination name. */
        final Map<String, Retry> refusals = new HashMap<>();

        Report(String sopInstanceUid, String sourceSeriesUid) {
            this.sopInstanceUid = sopInstanceUid;
            this.sourceSeriesUid = sourceSeriesUid;
        }
    }

    /** Consecutive failures and when the next attempt is due. */
    private static final class Retry {
        int failures;
        Instant notBefore = Instant.MIN;
    }

    private Outbox(Path directory, List<Destination> destinations, OutboxBackoff backoff, OutboxListener listener,
            Clock clock, RandomGenerator random, DurableDisk disk,
            BiFunction<Destination, byte[], StoreResult> sender) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.destinations = List.copyOf(destinations);
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.disk = Objects.requireNonNull(disk, "disk");
        this.sender = Objects.requireNonNull(sender, "sender");
        if (this.destinations.isEmpty()) {
            throw new IllegalArgumentException("an outbox needs at least one destination; without a PACS, write"
                    + " reports to the output folder only");
        }
        Set<String> names = new HashSet<>();
        for (Destination destination : this.destinations) {
            if (!names.add(destination.name())) {
                throw new IllegalArgumentException("two destinations are named '" + destination.name()
                        + "'; names must be unique, the outbox tracks deliveries by name");
            }
            reachability.put(destination.name(), new Retry());
        }
    }

    /** {@link #open(Path, List, OutboxBackoff, OutboxListener, Clock)} with the default backoff, the log, UTC. */
    public static Outbox open(Path directory, List<Destination> destinations) throws DicomException {
        return open(directory, destinations, OutboxBackoff.DEFAULT, OutboxListener.logging(), Clock.systemUTC());
    }

    /**
     * Opens the outbox in {@code directory} (created if missing) and takes up what an earlier run left there.
     * Senders start with {@link #start()}.
     *
     * @throws DicomException if the folder cannot be created or read
     */
    public static Outbox open(Path directory, List<Destination> destinations, OutboxBackoff backoff,
            OutboxListener listener, Clock clock) throws DicomException {
        StoreScu scu = new StoreScu();
        return open(directory, destinations, backoff, listener, clock, RandomGenerator.getDefault(),
                DurableDisk.SYSTEM, scu::store);
    }

    static Outbox open(Path directory, List<Destination> destinations, OutboxBackoff backoff,
            OutboxListener listener, Clock clock, RandomGenerator random, DurableDisk disk,
            BiFunction<Destination, byte[], StoreResult> sender) throws DicomException {
        Outbox outbox = new Outbox(directory, destinations, backoff, listener, clock, random, disk, sender);
        outbox.recover();
        return outbox;
    }

    /**
     * Puts {@code report} in the outbox: when this returns, the file and the folder entry are on disk (fsynced)
     * and the senders have been woken. A report with the SOP Instance UID of a pending one replaces it and is
     * sent again to every destination.
     *
     * @throws DicomException if the disk refuses (full, read-only): the report is not in the outbox, what was
     *                        there before still is, and the outbox goes on serving
     */
    public void submit(MeasurementReport report) throws DicomException {
        Objects.requireNonNull(report, "report");
        String uid = report.sopInstanceUid();
        lock.lock();
        try {
            if (closed) {
                throw new DicomException("the outbox is closed; SR for series "
                        + ShortUid.of(report.sourceSeriesInstanceUid()) + " was not queued");
            }
            Report pending = reports.computeIfAbsent(uid, u -> new Report(u, report.sourceSeriesInstanceUid()));
            pending.sourceSeriesUid = report.sourceSeriesInstanceUid();
            pending.generation++;
            pending.deliveredTo.clear();
            pending.refusals.clear();
            try {
                // Marks first: a crash before the rename leaves the old report unmarked (sent again, same
                // UID), never the new report marked as delivered.
                deleteMarkers(uid);
                disk.writeAtomically(reportFile(uid), report.bytes());
            } catch (IOException e) {
                if (!Files.exists(reportFile(uid))) {
                    reports.remove(uid);
                }
                throw new DicomException("could not put the SR for series "
                        + ShortUid.of(report.sourceSeriesInstanceUid()) + " in the outbox " + directory + ": " + e
                        + ". Free disk space there (or fix its permissions); the report was not queued, reports"
                        + " already queued are kept and still sent", e);
            }
            submissions++;
            changed.signalAll();
            listener.submitted(uid, report.sourceSeriesInstanceUid());
        } finally {
            lock.unlock();
        }
    }

    /** Starts one sender thread per destination; they run until {@link #close()}. */
    public void start() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the outbox is closed");
            }
            if (!senders.isEmpty()) {
                return;
            }
            for (Destination destination : destinations) {
                Thread thread = new Thread(() -> sendLoop(destination), "outbox-" + destination.name());
                thread.setDaemon(true);
                senders.add(thread);
            }
        } finally {
            lock.unlock();
        }
        senders.forEach(Thread::start);
    }

    /**
     * Stops the senders, waiting for a send in progress to end (at most a destination's connect plus read
     * timeout). Pending reports stay on disk for the next run.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        List<Thread> started;
        lock.lock();
        try {
            started = List.copyOf(senders);
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < started.size(); i++) {
            Destination destination = destinations.get(i);
            long waitMillis = destination.connectTimeout().plus(destination.readTimeout()).toMillis() + 1000;
            try {
                started.get(i).join(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** SOP Instance UIDs of the reports not yet delivered everywhere, oldest first. */
    public List<String> pendingSopInstanceUids() {
        lock.lock();
        try {
            return List.copyOf(reports.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** Runs one delivery pass for every destination in the calling thread; for tests and one-shot use. */
    void deliverDue() {
        for (Destination destination : destinations) {
            deliverDue(destination);
        }
    }

    /**
     * Sends every report that is due to {@code destination}, oldest first, until none is due or the
     * destination fails.
     *
     * @return how long until the next report is due there, or null if none is pending for it
     */
    Duration deliverDue(Destination destination) {
        while (true) {
            Report report;
            long generation;
            byte[] bytes;
            lock.lock();
            try {
                if (closed) {
                    return null;
                }
                Instant now = clock.instant();
                Retry reach = reachability.get(destination.name());
                Instant next = null;
                report = null;
                for (Report candidate : reports.values()) {
                    if (candidate.deliveredTo.contains(destination.name())) {
                        continue;
                    }
                    Retry refusal = candidate.refusals.get(destination.name());
                    Instant due = later(reach.notBefore, refusal == null ? Instant.MIN : refusal.notBefore);
                    if (!due.isAfter(now)) {
                        report = candidate;
                        break;
                    }
                    next = next == null || due.isBefore(next) ? due : next;
                }
                if (report == null) {
                    return next == null ? null : Duration.between(now, next);
                }
                generation = report.generation;
                try {
                    bytes = Files.readAllBytes(reportFile(report.sopInstanceUid));
                } catch (IOException e) {
                    refused(report, destination, "could not read the SR file from the outbox: " + e
                            + "; check the disk and the folder's permissions");
                    continue;
                }
            } finally {
                lock.unlock();
            }
            StoreResult result = send(destination, bytes);
            lock.lock();
            try {
                if (closed && !result.outcome().delivered()) {
                    return null;
                }
                switch (result.outcome()) {
                    case STORED -> delivered(report, generation, destination);
                    case REFUSED -> refused(report, destination, result.problem());
                    case UNREACHABLE -> {
                        Retry reach = reachability.get(destination.name());
                        Duration retryIn = fail(reach);
                        listener.deliveryFailed(report.sopInstanceUid, report.sourceSeriesUid, destination, false,
                                reach.failures, result.problem(), retryIn);
                        return retryIn;
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private StoreResult send(Destination destination, byte[] bytes) {
        try {
            return sender.apply(destination, bytes);
        } catch (RuntimeException e) {
            // A bug or a damaged file must not kill the sender thread: the report backs off like a refusal.
            return StoreResult.refused(-1, "could not send the SR: " + e + " (please report this)");
        }
    }

    private void delivered(Report report, long generation, Destination destination) {
        reachability.get(destination.name()).failures = 0;
        reachability.get(destination.name()).notBefore = Instant.MIN;
        if (reports.get(report.sopInstanceUid) != report || report.generation != generation) {
            return; // replaced while being sent: the new bytes still go out
        }
        try {
            disk.writeAtomically(markerFile(report.sopInstanceUid, destination.name()), new byte[0]);
        } catch (IOException e) {
            refused(report, destination, "delivered, but the delivery mark could not be written (" + e + "); the"
                    + " SR will be sent again with the same UID: free disk space in " + directory);
            return;
        }
        report.deliveredTo.add(destination.name());
        report.refusals.remove(destination.name());
        listener.delivered(report.sopInstanceUid, report.sourceSeriesUid, destination);
        completeIfDone(report);
    }

    private void refused(Report report, Destination destination, String problem) {
        Retry refusal = report.refusals.computeIfAbsent(destination.name(), name -> new Retry());
        Duration retryIn = fail(refusal);
        listener.deliveryFailed(report.sopInstanceUid, report.sourceSeriesUid, destination, true, refusal.failures,
                problem, retryIn);
    }

    private Duration fail(Retry retry) {
        retry.failures++;
        Duration delay = backoff.delayAfter(retry.failures, random);
        retry.notBefore = clock.instant().plus(delay);
        return delay;
    }

    private void completeIfDone(Report report) {
        for (Destination destination : destinations) {
            if (!report.deliveredTo.contains(destination.name())) {
                return;
            }
        }
        try {
            disk.delete(reportFile(report.sopInstanceUid));
            deleteMarkers(report.sopInstanceUid);
        } catch (IOException e) {
            // Delivered everywhere; the next start finds the file with all its marks and finishes the job.
            listener.cleanupFailed(report.sopInstanceUid, "SR " + ShortUid.of(report.sopInstanceUid)
                    + " was delivered everywhere but could not be removed from the outbox " + directory + ": " + e
                    + "; it is removed at the next start (check the disk)");
        }
        reports.remove(report.sopInstanceUid);
        listener.completed(report.sopInstanceUid, report.sourceSeriesUid);
    }

    private void sendLoop(Destination destination) {
        while (!closed) {
            long seen;
            lock.lock();
            try {
                seen = submissions;
            } finally {
                lock.unlock();
            }
            Duration wait = deliverDue(destination);
            lock.lock();
            try {
                if (closed || submissions != seen) {
                    continue;
                }
                if (wait == null) {
                    changed.await();
                } else if (!wait.isNegative() && !wait.isZero()) {
                    changed.awaitNanos(wait.toNanos());
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Takes up the folder as an earlier run (or a crash) left it. */
    private void recover() throws DicomException {
        try {
            Files.createDirectories(directory);
            List<Path> files;
            try (Stream<Path> listing = Files.list(directory)) {
                files = listing.sorted(Comparator.comparing(Outbox::modified)).toList();
            }
            List<Path> markers = new ArrayList<>();
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(DurableDisk.TEMP_PREFIX)) {
                    disk.delete(file); // an interrupted write: its submit never returned
                } else if (name.endsWith(MARKER_SUFFIX)) {
                    markers.add(file);
                } else if (name.endsWith(REPORT_SUFFIX)) {
                    String uid = name.substring(0, name.length() - REPORT_SUFFIX.length());
                    reports.put(uid, new Report(uid, sourceSeriesOf(file)));
                }
            }
            for (Path marker : markers) {
                String name = marker.getFileName().toString();
                int at = name.indexOf('@');
                Report report = at < 0 ? null : reports.get(name.substring(0, at));
                if (report == null) {
                    disk.delete(marker); // its report left the outbox; the crash came before the marks did
                } else {
                    report.deliveredTo.add(name.substring(at + 1, name.length() - MARKER_SUFFIX.length()));
                }
            }
        } catch (IOException e) {
            throw new DicomException("could not open the outbox folder " + directory + ": " + e
                    + "; check that it exists, is writable and its disk is not full", e);
        }
        lock.lock();
        try {
            listener.recovered(reports.size());
            for (Report report : List.copyOf(reports.values())) {
                completeIfDone(report);
            }
        } finally {
            lock.unlock();
        }
    }

    private void deleteMarkers(String sopInstanceUid) throws IOException {
        try (DirectoryStream<Path> markers = Files.newDirectoryStream(directory,
                sopInstanceUid + "@*" + MARKER_SUFFIX)) {
            for (Path marker : markers) {
                disk.delete(marker);
            }
        }
    }

    private Path reportFile(String sopInstanceUid) {
        return directory.resolve(sopInstanceUid + REPORT_SUFFIX);
    }

    private Path markerFile(String sopInstanceUid, String destinationName) {
        return directory.resolve(sopInstanceUid + "@" + destinationName + MARKER_SUFFIX);
    }

    /** The source series an SR is about, from its evidence; "unknown" if the file cannot tell. */
    private static String sourceSeriesOf(Path file) {
        try {
            AttributeList list = new AttributeList();
            list.read(file.toFile());
            AttributeList study = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(list,
                    TagFromName.CurrentRequestedProcedureEvidenceSequence);
            AttributeList series = study == null ? null
                    : SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(study,
                            TagFromName.ReferencedSeriesSequence);
            return series == null ? "unknown"
                    : Attribute.getSingleStringValueOrDefault(series, TagFromName.SeriesInstanceUID, "unknown");
        } catch (IOException | com.pixelmed.dicom.DicomException e) {
            return "unknown";
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.MIN;
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
