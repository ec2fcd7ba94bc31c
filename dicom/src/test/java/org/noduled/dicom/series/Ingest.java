package org.noduled.dicom.series;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.noduled.dicom.DicomException;

/** The scanner and assembler on a shared two-thread pool, as the runtime wires them; for tests. */
public final class Ingest {

    static final ExecutorService POOL = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "test-ingest");
        t.setDaemon(true);
        return t;
    });

    private Ingest() {
    }

    public static FolderScan scan(Path... roots) throws Exception {
        return new SeriesScanner(POOL).scan(List.of(roots));
    }

    /** Scans a folder that must hold one series and assembles it. */
    public static IngestedSeries load(Path folder) throws Exception {
        return new SeriesAssembler(POOL).assemble(scan(folder).onlySeries());
    }

    /** Loads a folder that must be refused and returns the reason. */
    public static String refusal(Path folder) {
        return assertThrows(DicomException.class, () -> load(folder)).getMessage();
    }

    /** Writes a regular stack of n slices starting at z0 with the given spacing, instance numbers 1..n. */
    public static void writeStack(Path folder, int n, double z0, double spacingMm) throws Exception {
        for (int k = 0; k < n; k++) {
            TestSlice.at(z0 + k * spacingMm, k + 1).writeInto(folder);
        }
    }
}
