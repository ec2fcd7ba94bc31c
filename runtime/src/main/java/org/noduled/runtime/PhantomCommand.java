package org.noduled.runtime;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.series.CtSeriesHeader;
import org.noduled.dicom.series.CtSeriesWriter;
import org.noduled.preprocess.phantom.Phantom;
import org.noduled.preprocess.phantom.PhantomFiles;
import org.noduled.preprocess.phantom.PhantomSeries;
import org.noduled.preprocess.phantom.PhantomSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noduled phantom}: writes one synthetic chest CT series (synthetic, not for clinical use) with its
 * truth.json and stats.json. The specification of the phantom is test-data/README.md.
 */
@Command(name = "phantom", mixinStandardHelpOptions = true,
        description = {"Write a synthetic chest CT series (synthetic, not for clinical use) with truth.json"
                + " (planted nodules) and stats.json (anatomy statistics).",
            "Same options, same seed: byte-identical files."})
final class PhantomCommand implements Callable<Integer> {

    /** Files a previous phantom run leaves in its folder; only these are replaced. */
    private static final Pattern OWN_FILE = Pattern.compile(
            "CT_[0-9A-F]{8}_*\\.dcm|truth\\.json|stats\\.json|volume\\.raw|volume\\.json");

    enum Format { dicom, raw }

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder (created; may hold only a previous phantom, which is replaced).")
    private Path out;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Random seed (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--columns", defaultValue = "512", paramLabel = "N", description = "Image columns (default ${DEFAULT-VALUE}).")
    private int columns;

    @Option(names = "--rows", defaultValue = "512", paramLabel = "N", description = "Image rows (default ${DEFAULT-VALUE}).")
    private int rows;

    @Option(names = "--slices", defaultValue = "300", paramLabel = "N", description = "Axial slices (default ${DEFAULT-VALUE}).")
    private int slices;

    @Option(names = "--pixel-spacing", defaultValue = "0.7", paramLabel = "MM",
            description = "In-plane pixel spacing in mm (default ${DEFAULT-VALUE}).")
    private double pixelSpacingMm;

    @Option(names = "--slice-spacing", defaultValue = "1.0", paramLabel = "MM",
            description = "Slice spacing and thickness in mm (default ${DEFAULT-VALUE}).")
    private double sliceSpacingMm;

    @Option(names = "--nodules", defaultValue = "1-6", paramLabel = "N|MIN-MAX",
            description = "Number of nodules, fixed or a random range (default ${DEFAULT-VALUE}).")
    private String nodules;

    @Option(names = "--noise", defaultValue = "25", paramLabel = "HU",
            description = "Standard deviation of the correlated image noise in HU (default ${DEFAULT-VALUE}).")
    private double noiseHu;

    @Option(names = "--format", defaultValue = "dicom", paramLabel = "dicom|raw",
            description = "dicom: one CT image file per slice; raw: volume.raw (int16 LE HU) + volume.json"
                    + " (default ${DEFAULT-VALUE}).")
    private Format format;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all processors).")
    private Integer threads;

    @Override
    public Integer call() throws IOException, DicomException {
        int[] count = PhantomSpec.parseNoduleCount(nodules);
        PhantomSpec phantomSpec = new PhantomSpec(seed, columns, rows, slices, pixelSpacingMm, sliceSpacingMm,
                count[0], count[1], noiseHu);
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (workers < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + workers);
        }
        prepare(out);
        long start = System.nanoTime();
        Phantom phantom = Phantom.plan(phantomSpec);
        PhantomSeries series = phantom.render(workers);
        long generated = System.nanoTime();
        int files;
        if (format == Format.dicom) {
            files = new CtSeriesWriter(workers).write(series.volume(), header(phantom), out).size();
        } else {
            files = PhantomFiles.writeRaw(out, series.volume()).size();
        }
        PhantomFiles.writeTruth(out, phantom);
        PhantomFiles.writeStats(out, series);
        long written = System.nanoTime();
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "phantom seed %d: %dx%dx%d, %d nodules; generated in %.2f s, wrote %d %s"
                + " files + %s + %s in %.2f s to %s (synthetic, not for clinical use)%n",
                seed, columns, rows, slices, phantom.nodules().size(), (generated - start) / 1e9, files,
                format == Format.dicom ? "DICOM" : "raw", PhantomFiles.TRUTH, PhantomFiles.STATS,
                (written - generated) / 1e9, out);
        stdout.flush();
        return 0;
    }

    /** The fake patient, study and equipment of a seed: fixed dates, so the files are reproducible. */
    static CtSeriesHeader header(Phantom phantom) {
        long seed = phantom.spec().seed();
        long h = Math.floorMod(seed * 0x9E3779B97F4A7C15L ^ (seed >>> 29), 1_000_003L);
        return new CtSeriesHeader(
                "PHANTOM^SEED " + seed,
                "PHANTOM-" + seed,
                LocalDate.of(1945, 1, 1).plusDays(h % (40 * 365)),
                h % 2 == 0 ? "F" : "M",
                phantom.uids().study(),
                "PH" + Math.floorMod(seed, 100_000_000L),
                "PH" + Math.floorMod(seed, 100_000_000L),
                "CT CHEST SYNTHETIC PHANTOM",
                LocalDateTime.of(2024, 1, 1, 8, 0).plusDays(h % 365).plusMinutes(h % 600),
                2,
                "Synthetic chest phantom seed " + seed + " (not for clinical use)",
                "noduled",
                "synthetic chest phantom v" + Phantom.GENERATOR_VERSION,
                "PHANTOM",
                "noduled synthetic data",
                PhantomFiles.INTENDED_USE);
    }

    /** Creates the folder, or clears a previous phantom from it; refuses one holding anything else. */
    private static void prepare(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            Files.createDirectories(dir);
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " is a file, not a folder");
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.toList();
        }
        for (Path entry : entries) {
            if (!Files.isRegularFile(entry) || !OWN_FILE.matcher(entry.getFileName().toString()).matches()) {
                throw new IllegalArgumentException("--out " + dir + " holds " + entry.getFileName()
                        + ", which a phantom does not write; choose an empty or new folder");
            }
        }
        for (Path entry : entries) {
            Files.delete(entry);
        }
    }
}
