package org.noduled.runtime;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.series.SeriesAssembler;
import org.noduled.dicom.series.SeriesFiles;
import org.noduled.dicom.series.SeriesScanner;
import org.noduled.preprocess.CtVolume;
import org.noduled.preprocess.ShortUid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code noduled bench ...}: benchmarks are commands that print numbers, never timed tests. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks that print numbers (run them on an otherwise idle machine).",
        subcommands = {BenchCommand.Load.class, BenchDetectCommand.class, BenchAccuracyCommand.class,
            BenchReceiveCommand.class})
final class BenchCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** Files in the page cache to an HU volume, repeated; beside it the pydicom + numpy peer on the same files. */
    @Command(name = "load",
            mixinStandardHelpOptions = true,
            description = {
                "Loads the one series in DIR (scan, header parse, pixel read, rescale to HU) --repeat times after",
                "--warmup runs, prints p50/p95/min ms and MB/s, then runs " + PydicomPeer.SCRIPT + " on the same",
                "files and prints both side by side. The target is 150 ms for 512x512x300 on 2 cores."})
    static final class Load implements Callable<Integer> {

        private static final double TARGET_MILLIS = 150;

        @Parameters(paramLabel = "DIR", description = "Folder holding one series.")
        private Path folder;

        @Option(names = "--repeat", defaultValue = "20", description = "Timed runs (default: ${DEFAULT-VALUE}).")
        private int repeat;

        @Option(names = "--warmup", defaultValue = "5", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
        private int warmup;

        @Option(names = "--threads", defaultValue = "2", description = "Threads reading files (default: ${DEFAULT-VALUE}).")
        private int threads;

        @Option(names = "--peer", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Also run the pydicom + numpy peer (default: ${DEFAULT-VALUE}).")
        private boolean peer;

        @Option(names = "--python", defaultValue = "python3", description = "Python for the peer (default: ${DEFAULT-VALUE}).")
        private String python;

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException, DicomException {
            if (repeat < 1 || warmup < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--repeat must be >= 1 and --warmup >= 0");
            }
            PrintWriter out = spec.commandLine().getOut();
            double[] total = new double[repeat];
            double[] headers = new double[repeat];
            double[] cpu = new double[repeat];
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            CtVolume volume = null;
            ExecutorService pool = IngestThreads.start(threads);
            try {
                SeriesScanner scanner = new SeriesScanner(pool);
                SeriesAssembler assembler = new SeriesAssembler(pool);
                for (int run = -warmup; run < repeat; run++) {
                    volume = null; // let the previous volume go before allocating the next
                    long cpuStart = os.getProcessCpuTime();
                    long start = System.nanoTime();
                    SeriesFiles files = scanner.scan(List.of(folder)).onlySeries();
                    long scanned = System.nanoTime();
                    volume = assembler.assemble(files).volume();
                    long end = System.nanoTime();
                    long cpuEnd = os.getProcessCpuTime();
                    if (run >= 0) {
                        cpu[run] = (cpuEnd - cpuStart) / 1e6;
                        total[run] = (end - start) / 1e6;
                        headers[run] = (scanned - start) / 1e6;
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            Timings ours = new Timings(total);
            Timings scan = new Timings(headers);
            Timings cpuTime = new Timings(cpu);
            double megabytes = volume.geometry().voxelCount() * 2 / 1e6;
            long checksum = checksum(volume);
            out.printf(Locale.ROOT, "series %s: %d slices of %dx%d, %.1f MB of pixels; %d thread(s), %d warm-up + %d timed runs%n",
                    ShortUid.of(volume.seriesInstanceUid()), volume.geometry().slices(), volume.geometry().columns(),
                    volume.geometry().rows(), megabytes, threads, warmup, repeat);
            out.printf(Locale.ROOT, "noduled: p50 %.1f ms, p95 %.1f ms, min %.1f ms, %.0f MB/s at p50 (of which scan + "
                    + "headers p50 %.1f ms); target %.0f ms: %s%n", ours.p50(), ours.p95(), ours.min(),
                    megabytes / ours.p50() * 1000, scan.p50(), TARGET_MILLIS, ours.p50() <= TARGET_MILLIS ? "met" : "MISSED");
            // Other processes sharing the cores inflate wall time; CPU time shows the work itself.
            out.printf(Locale.ROOT, "noduled: process CPU time per load p50 %.1f ms, min %.1f ms (all threads, GC and "
                    + "JIT included); machine load average %.2f on %d cores%n", cpuTime.p50(), cpuTime.min(),
                    os.getSystemLoadAverage(), os.getAvailableProcessors());
            out.flush();
            if (peer) {
                comparePeer(out, ours, megabytes, checksum);
            }
            return 0;
        }

        private void comparePeer(PrintWriter out, Timings ours, double megabytes, long checksum) throws IOException {
            Optional<Path> script = PydicomPeer.script();
            Optional<String> interpreter = PydicomPeer.python(python);
            if (script.isEmpty() || interpreter.isEmpty()) {
                out.println("peer: skipped, " + (script.isEmpty() ? PydicomPeer.SCRIPT + " not found"
                        : "no python3 with pydicom and numpy (Debian: apt-get install python3-pydicom python3-numpy)"));
                return;
            }
            out.printf("peer: %s %s (%d runs after 1 warm-up)...%n", interpreter.get(), script.get(), repeat);
            out.flush();
            PydicomPeer.Result peer = PydicomPeer.run(interpreter.get(), script.get(), folder, repeat);
            out.printf(Locale.ROOT, "%-28s %9s %9s %9s %10s%n", "loader", "p50 ms", "p95 ms", "min ms", "MB/s p50");
            out.printf(Locale.ROOT, "%-28s %9.1f %9.1f %9.1f %10.0f%n", "noduled (Java, " + threads + " threads)",
                    ours.p50(), ours.p95(), ours.min(), megabytes / ours.p50() * 1000);
            out.printf(Locale.ROOT, "%-28s %9.1f %9.1f %9.1f %10.0f%n",
                    "pydicom " + peer.text("pydicom") + " + numpy " + peer.text("numpy"),
                    peer.millis("p50_ms"), peer.millis("p95_ms"), peer.millis("min_ms"),
                    megabytes / peer.millis("p50_ms") * 1000);
            out.printf(Locale.ROOT, "noduled is %.1fx the peer's speed at p50; volumes %s (checksum %d vs %s)%n",
                    peer.millis("p50_ms") / ours.p50(),
                    Long.toString(checksum).equals(peer.text("checksum")) ? "agree" : "DIFFER", checksum,
                    peer.text("checksum"));
        }

        /**
         * Sum over slices of (k + 1) times the slice's HU sum: a cheap check that the peer built the same volume
         * in the same slice order (the peer computes it the same way).
         */
        private static long checksum(CtVolume volume) {
            long checksum = 0;
            for (int k = 0; k < volume.geometry().slices(); k++) {
                long sliceSum = 0;
                for (short v : volume.sliceHu(k)) {
                    sliceSum += v;
                }
                checksum += (k + 1) * sliceSum;
            }
            return checksum;
        }
    }
}
