package org.noduled.dicom.series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.noduled.dicom.DicomException;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.ShortUid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the files of one series into an HU volume, or refuses with every reason it found. The steps, in
 * order: the series must be CT; every slice must be readable (pixel data present and complete, a supported
 * transfer syntax and pixel layout, position, orientation, spacing and rescale present); identical duplicate
 * instances are dropped; the slices must form one regular stack ({@link SliceStack}); then the pixels are read
 * in parallel and rescaled to HU.
 */
public final class SeriesAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(SeriesAssembler.class);
    private static final int LISTED = 3;

    private final ExecutorService pool;

    /** @param pool the threads that read pixels; the caller owns it (and shuts it down) */
    public SeriesAssembler(ExecutorService pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    public IngestedSeries assemble(SeriesFiles series) throws DicomException {
        String uid = series.seriesInstanceUid();
        List<SliceHeader> headers = series.headers();
        requireCt(uid, headers);
        requireUsableSlices(uid, headers);
        List<String> warnings = new ArrayList<>();
        List<SliceHeader> unique = DuplicateInstances.removeIdentical(uid, headers, warnings);
        SliceStack stack = SliceStack.of(uid, unique);
        short[][] slicesHu = readHu(uid, stack.sorted(), series, warnings);
        List<SliceHeader> sorted = stack.sorted();
        CtVolume volume = new CtVolume(uid, sorted.get(0).frameOfReferenceUid(), stack.geometry(), slicesHu,
                sorted.stream().map(SliceHeader::sopInstanceUid).toList());
        SourceStudy study = SourceStudy.of(sorted.get(0).attributes(), uid, sorted.stream()
                .map(s -> new SourceInstance(s.sopClassUid(), s.sopInstanceUid())).toList());
        warnings.forEach(w -> LOG.warn("series {}: {}", ShortUid.of(uid), w));
        return new IngestedSeries(volume, study, warnings);
    }

    private static void requireCt(String uid, List<SliceHeader> headers) throws DicomException {
        Map<String, Long> notCt = headers.stream().filter(h -> !"CT".equals(h.modality())).collect(Collectors.groupingBy(
                h -> h.modality() == null ? "(none)" : h.modality(), LinkedHashMap::new, Collectors.counting()));
        if (!notCt.isEmpty()) {
            String modalities = notCt.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + " file(s))")
                    .collect(Collectors.joining(", "));
            throw DicomException.forSeries(uid, "holds images of modality " + modalities + ", not CT; noduled "
                    + "analyses CT only; route only CT series to it");
        }
    }

    private static void requireUsableSlices(String uid, List<SliceHeader> headers) throws DicomException {
        Map<String, List<SliceHeader>> problems = new LinkedHashMap<>();
        for (SliceHeader h : headers) {
            String problem = problemOf(h);
            if (problem != null) {
                problems.computeIfAbsent(problem, p -> new ArrayList<>()).add(h);
            }
        }
        String study = headers.get(0).studyInstanceUid();
        List<SliceHeader> otherStudy = headers.stream()
                .filter(h -> h.studyInstanceUid() != null && !h.studyInstanceUid().equals(study)).toList();
        if (study != null && !otherStudy.isEmpty()) {
            problems.put("names another study (" + ShortUid.of(otherStudy.get(0).studyInstanceUid()) + ") than "
                    + headers.get(0).label() + " (" + ShortUid.of(study) + "); the series is inconsistent; resend it",
                    otherStudy);
        }
        if (!problems.isEmpty()) {
            throw DicomException.forSeries(uid, problems.entrySet().stream()
                    .map(e -> subject(e.getValue()) + " " + e.getKey()).collect(Collectors.joining("; ")));
        }
    }

    /** "instance 3 (a.dcm)" or "instance 3 (a.dcm) and 299 more": the slices a problem was found in. */
    private static String subject(List<SliceHeader> slices) {
        return slices.get(0).label() + (slices.size() > 1 ? " and " + (slices.size() - 1) + " more" : "");
    }

    /** Why this one slice cannot be used, or null. The first problem found is enough to refuse it. */
    static String problemOf(SliceHeader h) {
        PixelEncoding encoding = h.encoding();
        if (encoding == PixelEncoding.UNSUPPORTED) {
            return "uses " + PixelEncoding.describe(h.transferSyntaxUid())
                    + ", which noduled cannot decode; send uncompressed or JPEG Lossless";
        }
        if (h.pixelData() == null) {
            return "has no pixel data (7FE0,0010): it is not an image, or its pixels were stripped; resend the series";
        }
        String format = h.format().problem();
        if (format != null) {
            return format;
        }
        if (encoding == PixelEncoding.NATIVE_LITTLE_ENDIAN) {
            String pixels = nativePixelProblem(h);
            if (pixels != null) {
                return pixels;
            }
        }
        if (h.sopInstanceUid() == null || h.sopClassUid() == null) {
            return "has no SOP Instance UID or SOP Class UID; resend the series";
        }
        if (h.studyInstanceUid() == null) {
            return "has no Study Instance UID; resend the series";
        }
        if (h.frameOfReferenceUid() == null) {
            return "has no Frame of Reference UID, so findings could not be placed in patient space; resend the series";
        }
        return geometryProblem(h);
    }

    private static String nativePixelProblem(SliceHeader h) {
        PixelDataLocation at = h.pixelData();
        if (at.encapsulated()) {
            return "has compressed pixel data under an uncompressed transfer syntax (corrupt); resend the series";
        }
        long missing = at.bytesMissing(h.fileSizeBytes());
        if (missing > 0) {
            return "is truncated: its pixel data lacks " + missing + " of " + at.lengthBytes()
                    + " bytes; resend the series";
        }
        if (at.lengthBytes() < h.format().frameBytes()) {
            return "has " + at.lengthBytes() + " bytes of pixel data, but " + h.format().columns() + "x"
                    + h.format().rows() + " 16-bit pixels need " + h.format().frameBytes() + " (corrupt); resend the series";
        }
        return null;
    }

    private static String geometryProblem(SliceHeader h) {
        if (!finite(h.imagePositionMm())) {
            return "has no valid Image Position (Patient) (3 numbers), so it cannot be placed in the stack; "
                    + "resend the series";
        }
        double[] o = h.imageOrientation();
        if (!finite(o) || Math.hypot(Math.hypot(o[0], o[1]), o[2]) < 0.5 || Math.hypot(Math.hypot(o[3], o[4]), o[5]) < 0.5) {
            return "has no valid Image Orientation (Patient) (6 direction cosines); resend the series";
        }
        double[] spacing = h.pixelSpacingMm();
        if (!finite(spacing) || spacing[0] <= 0 || spacing[1] <= 0) {
            return "has no valid Pixel Spacing (2 positive numbers, mm); resend the series";
        }
        if (h.rescaleSlope() == null || h.rescaleIntercept() == null || !Double.isFinite(h.rescaleSlope())
                || !Double.isFinite(h.rescaleIntercept()) || h.rescaleSlope() == 0) {
            return "has no valid Rescale Slope and Intercept, so its Hounsfield units are unknown; check the "
                    + "scanner's DICOM export";
        }
        return null;
    }

    private static boolean finite(double[] values) {
        return values != null && Arrays.stream(values).allMatch(Double::isFinite);
    }

    /** Reads and rescales every slice in parallel, in sorted order. */
    private short[][] readHu(String uid, List<SliceHeader> sorted, SeriesFiles series, List<String> warnings)
            throws DicomException {
        DecodedSlice[] slices = new DecodedSlice[sorted.size()];
        List<Integer> toRead = new ArrayList<>();
        List<Callable<DecodedSlice>> tasks = new ArrayList<>(sorted.size());
        for (int k = 0; k < sorted.size(); k++) {
            SliceHeader slice = sorted.get(k);
            slices[k] = series.decoded(slice.file()); // read while the series arrived (SeriesFiles.decodeAhead)
            if (slices[k] == null) {
                toRead.add(k);
                tasks.add(() -> DecodedSlice.read(slice));
            }
        }
        List<String> failures = new ArrayList<>();
        try {
            List<Future<DecodedSlice>> results = pool.invokeAll(tasks);
            for (int t = 0; t < toRead.size(); t++) {
                int k = toRead.get(t);
                try {
                    slices[k] = results.get(t).get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof DicomException d)) {
                        throw new IllegalStateException("reading pixels of " + sorted.get(k).label() + " failed",
                                e.getCause());
                    }
                    failures.add(d.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DicomException.forSeries(uid, "interrupted while reading pixels");
        }
        if (!failures.isEmpty()) {
            String shown = String.join("; ", failures.subList(0, Math.min(LISTED, failures.size())));
            throw DicomException.forSeries(uid, shown + (failures.size() > LISTED
                    ? " (and " + (failures.size() - LISTED) + " more slices failed)" : ""));
        }
        long totalClipped = Arrays.stream(slices).mapToLong(DecodedSlice::clippedVoxels).sum();
        if (totalClipped > 0) {
            warnings.add(totalClipped + " voxel(s) beyond the 16-bit HU range (-32768..32767) were clipped");
        }
        return Arrays.stream(slices).map(DecodedSlice::hu).toArray(short[][]::new);
    }
}
