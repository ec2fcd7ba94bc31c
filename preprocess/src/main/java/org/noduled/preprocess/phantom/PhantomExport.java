package org.noduled.preprocess.phantom;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Batch export for the training machine, which has a bare Java runtime (java.base) and no Maven: writes
 * the raw format (volume.raw, volume.json), truth.json and stats.json of every seed in a range, one folder
 * per seed, rendering each on all cores. Synthetic, not for clinical use.
 *
 * <pre>
 * java -cp noduled-preprocess.jar org.noduled.preprocess.phantom.PhantomExport --out DIR --seeds 1000-1099
 *     [--columns 512] [--rows 512] [--slices 300] [--pixel-spacing 0.7] [--slice-spacing 1.0]
 *     [--nodules 1-6] [--noise 25] [--threads N]
 * </pre>
 * Exit status 0 when all were written, 2 on a bad option (with a one-line reason), 1 on an I/O failure.
 */
public final class PhantomExport {

    static final String USAGE = "usage: PhantomExport --out DIR --seeds FIRST-LAST|N [--columns 512] [--rows 512]"
            + " [--slices 300] [--pixel-spacing 0.7] [--slice-spacing 1.0] [--nodules 1-6] [--noise 25]"
            + " [--threads N]";

    private PhantomExport() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("PhantomExport: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            for (long seed = options.firstSeed; seed <= options.lastSeed; seed++) {
                long start = System.nanoTime();
                PhantomSpec spec = options.spec.withSeed(seed);
                Phantom phantom = Phantom.plan(spec);
                PhantomSeries series = phantom.render(options.threads);
                Path dir = Files.createDirectories(options.out.resolve(folderName(seed)));
                PhantomFiles.writeRaw(dir, series.volume());
                PhantomFiles.writeTruth(dir, phantom);
                PhantomFiles.writeStats(dir, series);
                out.printf(Locale.ROOT, "seed %d: %d nodules, %.2f s -> %s%n", seed, phantom.nodules().size(),
                        (System.nanoTime() - start) / 1e9, dir);
                if (seed == Long.MAX_VALUE) {
                    break;
                }
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("PhantomExport: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("PhantomExport: could not write " + options.out + ": " + e);
            return 1;
        }
    }

    /** The folder of one seed: {@code seed-} and the seed zero-padded to six digits. */
    static String folderName(long seed) {
        return String.format(Locale.ROOT, "seed-%06d", seed);
    }

    private record Options(Path out, long firstSeed, long lastSeed, PhantomSpec spec, int threads) {

        static Options parse(String[] args) {
            Path out = null;
            String seeds = null;
            PhantomSpec spec = PhantomSpec.defaults(0);
            int threads = Runtime.getRuntime().availableProcessors();
            int columns = spec.columns();
            int rows = spec.rows();
            int slices = spec.slices();
            double pixel = spec.pixelSpacingMm();
            double slice = spec.sliceSpacingMm();
            int[] nodules = {spec.minNodules(), spec.maxNodules()};
            double noise = spec.noiseHu();
            for (int a = 0; a < args.length; a++) {
                String name = args[a];
                if (a + 1 >= args.length) {
                    throw new IllegalArgumentException(name.startsWith("--") ? name + " needs a value" : "unexpected '" + name + "'");
                }
                String value = args[++a];
                switch (name) {
                    case "--out" -> out = Path.of(value);
                    case "--seeds", "--seed" -> seeds = value;
                    case "--columns" -> columns = integer(name, value);
                    case "--rows" -> rows = integer(name, value);
                    case "--slices" -> slices = integer(name, value);
                    case "--pixel-spacing" -> pixel = decimal(name, value);
                    case "--slice-spacing" -> slice = decimal(name, value);
                    case "--nodules" -> nodules = PhantomSpec.parseNoduleCount(value);
                    case "--noise" -> noise = decimal(name, value);
                    case "--threads" -> threads = integer(name, value);
                    default -> throw new IllegalArgumentException("unknown option '" + name + "'");
                }
            }
            if (out == null || seeds == null) {
                throw new IllegalArgumentException("--out and --seeds are required");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            long[] range = seedRange(seeds);
            PhantomSpec base = new PhantomSpec(range[0], columns, rows, slices, pixel, slice, nodules[0], nodules[1], noise);
            return new Options(out, range[0], range[1], base, threads);
        }

        private static long[] seedRange(String text) {
            try {
                int dash = text.indexOf('-', 1);
                long first = Long.parseLong(dash < 0 ? text : text.substring(0, dash));
                long last = dash < 0 ? first : Long.parseLong(text.substring(dash + 1));
                if (last < first) {
                    throw new IllegalArgumentException("--seeds range is empty: " + text);
                }
                return new long[] {first, last};
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seeds must be N or FIRST-LAST, got '" + text + "'", e);
            }
        }

        private static int integer(String name, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
            }
        }

        private static double decimal(String name, String value) {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number, got '" + value + "'", e);
            }
        }
    }
}
