package org.noduled.dicom.series;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.noduled.dicom.DicomException;

/** The instances of one series found by a scan, with their headers already read, in file-name order. */
public final class SeriesFiles {

    private final String seriesInstanceUid;
    private final List<SliceHeader> headers;
    /** Pixels already read and rescaled, by file ({@link #decodeAhead}); the assembler takes them as they are. */
    private final Map<Path, DecodedSlice> decoded = new ConcurrentHashMap<>();

    SeriesFiles(String seriesInstanceUid, List<SliceHeader> headers) {
        this.seriesInstanceUid = Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        this.headers = List.copyOf(headers);
        if (this.headers.isEmpty()) {
            throw new IllegalArgumentException("a series needs at least one file");
        }
    }

    /**
     * Reads and rescales to HU the pixels of those of {@code files} that are in this series, now, on the calling
     * thread, so that assembling the series later need not: a receiver calls it while the rest of the series
     * still arrives. Only for files that will not change before the series is assembled (the assembler takes
     * these pixels without reading the file again). A file whose pixels cannot be used is skipped; the assembler
     * reads it again and reports the problem in the series' terms. Only uncompressed files are read ahead:
     * decoding JPEG Lossless or RLE one file at a time takes tens of milliseconds each, better spent on the
     * assembler's threads. Stops once {@code maxBytes} are added. Returns the bytes of pixels it added.
     */
    public long decodeAhead(Collection<Path> files, long maxBytes) {
        Set<Path> wanted = Set.copyOf(files);
        long added = 0;
        for (SliceHeader slice : headers) {
            if (added >= maxBytes) {
                break;
            }
            if (!wanted.contains(slice.file()) || decoded.containsKey(slice.file())
                    || slice.encoding() != PixelEncoding.NATIVE_LITTLE_ENDIAN || SeriesAssembler.problemOf(slice) != null) {
                continue;
            }
            try {
                DecodedSlice pixels = DecodedSlice.read(slice);
                decoded.put(slice.file(), pixels);
                added += pixels.bytes();
            } catch (DicomException | RuntimeException e) {
                // left to the assembler, which reads the file again and says what is wrong with it
            }
        }
        return added;
    }

    /** Lets go of the pixels read ahead (the series will be read again from its files). */
    public void dropDecoded() {
        decoded.clear();
    }

    /** Bytes of pixels held by {@link #decodeAhead}. */
    public long decodedBytes() {
        return decoded.values().stream().mapToLong(DecodedSlice::bytes).sum();
    }

    DecodedSlice decoded(Path file) {
        return decoded.get(file);
    }

    /**
     * The series made of exactly {@code files}, with the headers earlier scans read ({@code parts}) and the
     * pixels they decoded ahead, so a series whose headers were read while it arrived is not read again. Every
     * file must be in a part, of one series.
     */
    public static SeriesFiles of(Collection<SeriesFiles> parts, Collection<Path> files) {
        Map<Path, SliceHeader> byFile = new HashMap<>();
        Map<SliceHeader, SeriesFiles> readBy = new IdentityHashMap<>();
        for (SeriesFiles part : parts) {
            for (SliceHeader header : part.headers) {
                byFile.put(header.file(), header);
                readBy.put(header, part);
            }
        }
        List<SliceHeader> chosen = new ArrayList<>();
        for (Path file : files) {
            SliceHeader header = byFile.get(file);
            if (header == null) {
                throw new IllegalArgumentException(file + " was not read by any of the scans given");
            }
            chosen.add(header);
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("a series needs at least one file");
        }
        String uid = chosen.get(0).seriesInstanceUid();
        if (chosen.stream().anyMatch(h -> !uid.equals(h.seriesInstanceUid()))) {
            throw new IllegalArgumentException("the files belong to more than one series");
        }
        SeriesFiles series = new SeriesFiles(uid, chosen);
        for (SliceHeader header : chosen) { // pixels decoded by the scan whose header is kept, and only those
            DecodedSlice pixels = readBy.get(header).decoded.get(header.file());
            if (pixels != null) {
                series.decoded.put(header.file(), pixels);
            }
        }
        return series;
    }

    public String seriesInstanceUid() {
        return seriesInstanceUid;
    }

    /** Files of the series, in the order the scan found them (not slice order). */
    public List<Path> files() {
        return headers.stream().map(SliceHeader::file).toList();
    }

    public int fileCount() {
        return headers.size();
    }

    /** Modality of the first file, or null; for reports that must say what a refused series was. */
    public String modality() {
        return headers.get(0).modality();
    }

    List<SliceHeader> headers() {
        return headers;
    }
}
