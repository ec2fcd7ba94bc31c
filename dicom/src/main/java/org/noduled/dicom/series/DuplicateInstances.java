package org.noduled.dicom.series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.noduled.dicom.DicomException;
import org.noduled.preprocess.ShortUid;

/**
 * Instances received more than once (a resend, a retried C-STORE) carry the same SOP Instance UID. An
 * identical copy is dropped with a warning; two different images under one UID make the series ambiguous
 * and are refused.
 */
final class DuplicateInstances {

    private DuplicateInstances() {
    }

    /** The slices with identical copies removed (first copy kept); warnings are added for each removal. */
    static List<SliceHeader> removeIdentical(String seriesUid, List<SliceHeader> slices, List<String> warnings)
            throws DicomException {
        Map<String, List<SliceHeader>> byUid = slices.stream().collect(
                Collectors.groupingBy(SliceHeader::sopInstanceUid, LinkedHashMap::new, Collectors.toList()));
        if (byUid.size() == slices.size()) {
            return slices;
        }
        List<SliceHeader> kept = new ArrayList<>(byUid.size());
        for (Map.Entry<String, List<SliceHeader>> e : byUid.entrySet()) {
            List<SliceHeader> copies = e.getValue();
            SliceHeader first = copies.get(0);
            kept.add(first);
            if (copies.size() == 1) {
                continue;
            }
            String files = copies.stream().map(c -> c.file().getFileName().toString()).collect(Collectors.joining(", "));
            for (SliceHeader copy : copies.subList(1, copies.size())) {
                if (!identical(first, copy)) {
                    throw DicomException.forSeries(seriesUid, "SOP Instance UID " + ShortUid.of(e.getKey())
                            + " names " + copies.size() + " different images (files " + files + "); the sender "
                            + "reused a UID, so the slices cannot be told apart; resend the series");
                }
            }
            warnings.add((copies.size() - 1) + " identical duplicate(s) of " + first.label() + " ignored (files "
                    + files + ")");
        }
        return kept;
    }

    private static boolean identical(SliceHeader a, SliceHeader b) throws DicomException {
        return a.format().equals(b.format())
                && Arrays.equals(a.imagePositionMm(), b.imagePositionMm())
                && Arrays.equals(a.imageOrientation(), b.imageOrientation())
                && Arrays.equals(a.pixelSpacingMm(), b.pixelSpacingMm())
                && Objects.equals(a.rescaleSlope(), b.rescaleSlope())
                && Objects.equals(a.rescaleIntercept(), b.rescaleIntercept())
                && Arrays.equals(PixelReader.readStored(a), PixelReader.readStored(b));
    }
}
