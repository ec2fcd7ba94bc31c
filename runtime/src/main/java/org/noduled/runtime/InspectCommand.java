package org.noduled.runtime;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.series.FolderScan;
import org.noduled.dicom.series.IngestedSeries;
import org.noduled.dicom.series.SeriesAssembler;
import org.noduled.dicom.series.SeriesFiles;
import org.noduled.dicom.series.SeriesScanner;
import org.noduled.dicom.series.SkippedFile;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.ShortUid;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.VolumeGeometry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code noduled inspect DIR...}: what an IT engineer checks before pointing a scanner at the node. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Reads the DICOM files under the given folders, groups them by series, assembles every CT series",
            "into a volume and prints per series: UID (shortened), slice count, dimensions, spacing, HU range",
            "and the problems found (or 'ok'). Files that are not DICOM are listed and skipped."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every series loaded and no DICOM file was damaged",
            "1:some series could not be loaded or some files were damaged (one line each on stderr)",
            "2:the command itself failed (e.g. a folder does not exist)"})
final class InspectCommand implements Callable<Integer> {

    static final int EXIT_BAD_INPUT = 1;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Folders (searched recursively) or files.")
    private List<Path> roots;

    @Option(names = "--threads", defaultValue = "2", description = "Threads that read files (default: ${DEFAULT-VALUE}).")
    private int threads;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> failures = new ArrayList<>();
        ExecutorService pool = IngestThreads.start(threads);
        try {
            FolderScan scan = new SeriesScanner(pool).scan(roots);
            SeriesAssembler assembler = new SeriesAssembler(pool);
            for (SeriesFiles files : scan.series()) {
                try {
                    report(out, assembler.assemble(files));
                } catch (DicomException e) {
                    out.printf(Locale.ROOT, "%s  %s  %d files  FAILED%n  problem: %s%n",
                            ShortUid.of(files.seriesInstanceUid()), Objects.toString(files.modality(), "no modality"),
                            files.fileCount(), e.getMessage());
                    failures.add(e.getMessage());
                }
            }
            int failedSeries = failures.size();
            for (SkippedFile skipped : scan.skipped()) {
                out.printf("skipped %s: %s%n", skipped.file(), skipped.reason());
                if (skipped.damaged()) {
                    failures.add(skipped.reason());
                }
            }
            out.printf("%d series: %d loaded, %d failed; %d file(s) skipped, %d of them damaged%n",
                    scan.series().size(), scan.series().size() - failedSeries, failedSeries, scan.skipped().size(),
                    failures.size() - failedSeries);
        } finally {
            pool.shutdownNow();
        }
        out.flush();
        failures.forEach(f -> err.println("noduled inspect: " + f.replace('\n', ' ')));
        return failures.isEmpty() ? 0 : EXIT_BAD_INPUT;
    }

    private static void report(PrintWriter out, IngestedSeries series) {
        CtVolume volume = series.volume();
        VolumeGeometry g = volume.geometry();
        CtVolume.HuRange hu = volume.huRange();
        // Pixel spacing in DICOM order (between rows, between columns), then between slices.
        out.printf(Locale.ROOT, "%s  CT  %d slices  %dx%d  spacing %.3f/%.3f/%.3f mm (row/col/slice)  HU %d..%d  %s  %s%n",
                ShortUid.of(volume.seriesInstanceUid()), g.slices(), g.columns(), g.rows(),
                g.spacingMm().y(), g.spacingMm().x(), g.spacingMm().z(), hu.minHu(), hu.maxHu(),
                plane(g.sliceDirection()), series.warnings().isEmpty() ? "ok" : series.warnings().size() + " warning(s)");
        series.warnings().forEach(w -> out.println("  warning: " + w));
    }

    /** Axial, coronal or sagittal: the patient axis the slice normal runs along. */
    private static String plane(Vec3 normal) {
        double x = Math.abs(normal.x());
        double y = Math.abs(normal.y());
        double z = Math.abs(normal.z());
        return z >= x && z >= y ? "axial" : y >= x ? "coronal" : "sagittal";
    }
}
