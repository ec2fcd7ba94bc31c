package org.noduled.runtime;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.noduled.dicom.series.FolderScan;
import org.noduled.dicom.series.SeriesFiles;
import org.noduled.dicom.series.SeriesScanner;
import org.noduled.dicom.series.SkippedFile;
import org.noduled.preprocess.ShortUid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder that senders drop DICOM files into (any layout, several series at once). A series is complete when
 * none of its files is new or growing for {@code idle}: the fallback rule of DESIGN.md (MONAI Deploy's
 * Informatics Gateway waits 5 s of quiet the same way). Time comes from an injected clock, and {@link #poll}
 * looks once and returns, so tests drive it without sleeping.
 *
 * <p>Files whose name starts with '.' are not looked at (senders should write under such a name and rename when
 * done). A file is read (headers only) once its size stayed the same across two polls. Files that are not DICOM,
 * or not readable, are logged once and left alone.
 */
final class DropFolder {

    private static final Logger LOG = LoggerFactory.getLogger(DropFolder.class);

    /** Why a series was taken as complete. */
    enum Completion {
        /** Every file came through a sender's association, and it was released. */
        RELEASED("its sender released the association"),
        /** No file of it was new or growing for the idle timeout. */
        IDLE("idle timeout");

        private final String label;

        Completion(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /**
     * A complete series: its UID, every file of it in the drop folder, and how it arrived (to the poll interval,
     * on the folder's clock): from its first file to its last, and from its last file to being complete.
     */
    record CompleteSeries(String seriesInstanceUid, List<Path> files, Duration arrivalSpan, Duration waitedAfterLast,
            Completion completion, Optional<SeriesFiles> reusableHeaders) {
        /**
         * @param reusableHeaders the headers read while the series arrived, when they can stand for the files:
         *     only for a released series, whose files the receiver renamed in whole (dropped files may change
         *     until they are loaded)
         */
        CompleteSeries {
            files = List.copyOf(files);
        }
    }

    /** What the folder knows of one file. {@code seenAt}: when it appeared or last changed size. */
    private static final class FileState {
        long sizeBytes;
        final Instant firstSeenAt;
        Instant seenAt;
        boolean changedThisPoll = true;
        String seriesInstanceUid;
        /** The scan that read this file's header (its other files may be of other series). */
        SeriesFiles readBy;
        /** The file as it was when its header was read: inode (where the file system has one), size, time. */
        FileIdentity identityWhenRead;

        FileState(long sizeBytes, Instant seenAt) {
            this.sizeBytes = sizeBytes;
            this.firstSeenAt = seenAt;
            this.seenAt = seenAt;
        }
    }

    private final Path root;
    private final Duration idle;
    private final Clock clock;
    private final SeriesScanner scanner;
    private final Map<Path, FileState> files = new HashMap<>();
    /** When each series last had a new (or changed) file. */
    private final Map<String, Instant> lastFileAt = new LinkedHashMap<>();
    /** Series returned by {@link #poll} and not yet forgotten. */
    private final Set<String> handedOut = new HashSet<>();
    /**
     * Files whose sender released its association after storing them (DESIGN.md: association release first,
     * the idle timeout as fallback). Written by receiver threads, read by the polling thread.
     */
    private final Set<Path> released = ConcurrentHashMap.newKeySet();
    /**
     * Files the receiver stored whole and will not change (StoreScp.Listener#stored): their pixels are read as
     * soon as their headers are, while the rest of the series arrives, up to {@link #decodeAheadBytes} held.
     * Written by receiver threads, read by the polling thread.
     */
    private final Set<Path> storedWhole = ConcurrentHashMap.newKeySet();
    private final long decodeAheadBytes;
    private final Semaphore activity = new Semaphore(0);
    /** Files that are not DICOM or not readable, with the size they had: ignored until that changes. */
    private final Map<Path, Long> ignored = new HashMap<>();

    /**
     * Pixels read ahead are held at most this much (about one 512x512x300 series): beyond it, series arriving
     * side by side are read at completion as before, so several at once cannot exhaust the heap.
     */
    static final long DEFAULT_DECODE_AHEAD_BYTES = 160L << 20;

    DropFolder(Path root, Duration idle, Clock clock, SeriesScanner scanner) {
        this(root, idle, clock, scanner, DEFAULT_DECODE_AHEAD_BYTES);
    }

    DropFolder(Path root, Duration idle, Clock clock, SeriesScanner scanner, long decodeAheadBytes) {
        this.decodeAheadBytes = decodeAheadBytes;
        this.root = Objects.requireNonNull(root, "root");
        this.idle = Objects.requireNonNull(idle, "idle");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scanner = Objects.requireNonNull(scanner, "scanner");
        if (idle.isNegative()) {
            throw new IllegalArgumentException("idle timeout must not be negative, got " + idle);
        }
    }

    /**
     * Looks at the folder once: notes new and growing files, reads the headers of files that stopped growing, and
     * returns the series that have been quiet for the idle timeout. A returned series stays known (and is not
     * returned again) until {@link #forget}.
     */
    List<CompleteSeries> poll() throws IOException {
        Instant now = clock.instant();
        look(now);
        List<SeriesFiles> justRead = identifySettledFiles();
        if (files.values().stream().anyMatch(f -> f.seriesInstanceUid == null)) {
            decodeAhead(justRead);
            return List.of(); // a file not yet read may belong to any series: wait one more poll
        }
        List<CompleteSeries> complete = new ArrayList<>();
        for (Map.Entry<String, Instant> e : lastFileAt.entrySet()) {
            String uid = e.getKey();
            if (handedOut.contains(uid)) {
                continue;
            }
            List<Map.Entry<Path, FileState>> mine = files.entrySet().stream()
                    .filter(f -> uid.equals(f.getValue().seriesInstanceUid)).toList();
            boolean idleOver = !e.getValue().plus(idle).isAfter(now);
            boolean allReleased = !mine.isEmpty() && mine.stream().allMatch(f -> released.contains(f.getKey()));
            boolean quiet = (idleOver || allReleased) && mine.stream().noneMatch(f -> growing(f.getKey(), f.getValue()));
            if (quiet && !mine.isEmpty()) {
                Instant first = mine.stream().map(f -> f.getValue().firstSeenAt).min(Instant::compareTo).orElseThrow();
                Instant last = e.getValue();
                List<Path> paths = mine.stream().map(Map.Entry::getKey).sorted().toList();
                Set<SeriesFiles> parts = mine.stream().map(f -> f.getValue().readBy).collect(Collectors.toSet());
                Optional<SeriesFiles> headers = allReleased ? Optional.of(SeriesFiles.of(parts, paths))
                        : Optional.empty();
                if (!allReleased) { // read again at load: pixels read ahead would only double the memory
                    parts.forEach(SeriesFiles::dropDecoded);
                }
                complete.add(new CompleteSeries(uid, paths, Duration.between(first, last), Duration.between(last, now),
                        allReleased ? Completion.RELEASED : Completion.IDLE, headers));
            }
        }
        complete.forEach(c -> handedOut.add(c.seriesInstanceUid()));
        decodeAhead(justRead);
        return complete;
    }

    /**
     * Tells the folder that a sender stored {@code stored} here and released its association: a series whose
     * files all came that way is complete at the next poll that finds them settled, without waiting for the
     * idle timeout. A series split over several associations completes at the first release that covers every
     * file present then; later files start it over, as late files do (the warning below). Thread-safe.
     */
    void released(Collection<Path> stored) {
        released.addAll(stored);
        activity.release();
    }

    /**
     * Tells the folder that the receiver put {@code file} here whole, fsynced, not to change: its pixels may be
     * read before its series is complete. Thread-safe.
     */
    void stored(Path file) {
        storedWhole.add(file);
    }

    /**
     * Whether {@code file} is still the file whose header was read for its series, so that deleting or moving
     * it after processing removes what was processed and not a copy a sender put in its place meanwhile.
     */
    boolean unchangedSinceRead(Path file) throws IOException {
        FileState state = files.get(file);
        return state != null && state.identityWhenRead != null && Files.exists(file)
                && state.identityWhenRead.equals(FileIdentity.of(file));
    }

    /** What tells one file at a path from another put there later. */
    private record FileIdentity(Object fileKey, long sizeBytes, FileTime modified) {
        static FileIdentity of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileIdentity(a.fileKey(), a.size(), a.lastModifiedTime());
        }
    }

    /** Drops a series handed out by {@link #poll} (its files processed and removed or moved away). */
    void forget(CompleteSeries series) {
        String uid = series.seriesInstanceUid();
        handedOut.remove(uid);
        series.files().forEach(files::remove);
        released.removeAll(series.files());
        storedWhole.removeAll(series.files());
        // Files of the series that arrived after it was handed out start it over, timed from the latest of them.
        files.values().stream().filter(f -> uid.equals(f.seriesInstanceUid)).map(f -> f.seenAt)
                .max(Instant::compareTo).ifPresentOrElse(t -> lastFileAt.put(uid, t), () -> lastFileAt.remove(uid));
    }

    private void look(Instant now) throws IOException {
        Set<Path> present = presentFiles();
        files.keySet().retainAll(present);
        storedWhole.retainAll(present);
        ignored.keySet().retainAll(present);
        for (Path p : present) {
            long size;
            try {
                size = Files.size(p);
            } catch (NoSuchFileException e) {
                continue;
            }
            Long ignoredSize = ignored.get(p);
            if (ignoredSize != null && ignoredSize == size) {
                continue;
            }
            ignored.remove(p); // changed since it was found unreadable: look again
            FileState state = files.get(p);
            if (state == null) {
                files.put(p, new FileState(size, now));
            } else if (state.sizeBytes != size) {
                state.sizeBytes = size;
                state.seenAt = now;
                state.changedThisPoll = true;
                if (state.seriesInstanceUid != null) {
                    lastFileAt.put(state.seriesInstanceUid, now);
                }
            } else {
                state.changedThisPoll = false;
            }
        }
    }

    /** Reads the headers of unread files whose size held since the last poll; assigns them to series. */
    private List<SeriesFiles> identifySettledFiles() throws IOException {
        List<Path> settled = files.entrySet().stream()
                .filter(e -> e.getValue().seriesInstanceUid == null && !growing(e.getKey(), e.getValue()))
                .map(Map.Entry::getKey).sorted().toList();
        if (settled.isEmpty()) {
            return List.of();
        }
        FolderScan scan = scanner.scan(settled);
        for (SeriesFiles series : scan.series()) {
            String uid = series.seriesInstanceUid();
            for (Path f : series.files()) {
                FileState state = files.get(f);
                state.seriesInstanceUid = uid;
                state.readBy = series;
                state.identityWhenRead = FileIdentity.of(f);
                Instant last = lastFileAt.get(uid);
                if (last == null || state.seenAt.isAfter(last)) {
                    lastFileAt.put(uid, state.seenAt);
                }
                if (handedOut.contains(uid)) {
                    // A late file of a series already handed out: it starts the series over once that one is done.
                    LOG.warn("series {}: a file arrived after the series was taken as complete; it is processed "
                            + "again with it once the current run ends (raise the idle timeout if this repeats)",
                            ShortUid.of(uid));
                }
            }
        }
        for (SkippedFile skipped : scan.skipped()) {
            FileState state = files.remove(skipped.file());
            ignored.put(skipped.file(), state.sizeBytes);
            LOG.warn("drop folder: ignoring {}: {}", root.relativize(skipped.file()), skipped.reason());
        }
        return scan.series();
    }

    /**
     * Reads the pixels of the files just identified that the receiver stored whole, so that a series complete on
     * release is assembled without reading them again (Intake reuses what was read only for such series). Runs
     * after the completion check and skips series handed out: their remaining files are read by the load
     * stage, on the pool and inside the latency it measures, not here before the series counts as complete.
     * Pixels held stay under the cap, file by file.
     */
    private void decodeAhead(List<SeriesFiles> justRead) {
        long held = heldAheadBytes();
        for (SeriesFiles series : justRead) {
            List<Path> whole = series.files().stream().filter(storedWhole::contains).toList();
            if (!whole.isEmpty() && held < decodeAheadBytes && !handedOut.contains(series.seriesInstanceUid())) {
                held += series.decodeAhead(whole, decodeAheadBytes - held);
            }
        }
    }

    /** Bytes of pixels read ahead and held now. */
    long heldAheadBytes() {
        return files.values().stream().map(f -> f.readBy).filter(Objects::nonNull).distinct()
                .mapToLong(SeriesFiles::decodedBytes).sum();
    }

    /**
     * Whether a file may still be growing: new or changed in size at this poll. A file a sender stored and then
     * released its association over is final at once (the receiver renamed it into place whole), so it is read
     * without waiting a poll for its size to hold.
     */
    private boolean growing(Path file, FileState state) {
        return state.changedThisPoll && !released.contains(file);
    }

    /**
     * Waits until a sender releases an association here or {@code max} passes, so a released series is
     * taken up at once instead of at the next poll. Returns early, at most once per release.
     */
    void awaitActivity(Duration max) throws InterruptedException {
        if (activity.tryAcquire(max.toMillis(), TimeUnit.MILLISECONDS)) {
            activity.drainPermits();
        }
    }

    /**
     * The regular, not hidden files under the root. A file or folder that vanishes during the walk (the
     * receiver's temporary files are renamed away all the time) is skipped, never the end of the walk: a walk
     * cut short would make files still there look gone, and their series complete without them.
     */
    Set<Path> presentFiles() throws IOException {
        Set<Path> present = new HashSet<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.equals(root) || !hidden(dir) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !hidden(file)) {
                    present.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // removed during the walk
                }
                throw e;
            }
        });
        return present;
    }

    private boolean hidden(Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
