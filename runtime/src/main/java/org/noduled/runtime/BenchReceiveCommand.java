package org.noduled.runtime;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.net.StoreScp;
import org.noduled.preprocess.phantom.PhantomSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code noduled bench receive}: dcmtk's storescu sending one series to our receiver, beside the same storescu
 * sending to dcmtk's storescp, in the same run.
 */
@Command(name = "receive",
        mixinStandardHelpOptions = true,
        description = {
            "Sends a series with dcmtk's storescu (TCP_NODELAY on) to noduled's C-STORE receiver --runs times",
            "after one warm-up, then to dcmtk's storescp, on loopback, and prints p50/min seconds and MB/s of",
            "each. Ours fsyncs every image before answering; storescp, as run here, does not. The series is --series",
            "DIR (its .dcm files), else a 512x512x300 phantom. Needs storescu and storescp (Debian: dcmtk).",
            "Synthetic, not for clinical use."})
final class BenchReceiveCommand implements Callable<Integer> {

    @Option(names = "--series", paramLabel = "DIR", description = "Folder holding one series (its .dcm files).")
    private Path series;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs per receiver (default: ${DEFAULT-VALUE}).")
    private int runs;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be >= 1");
        }
        for (String tool : List.of("storescu", "storescp")) {
            if (!ExecutablePath.has(tool)) {
                throw new CommandLine.ParameterException(spec.commandLine(), tool
                        + " is not installed: apt-get install dcmtk");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        Path scratch = Files.createTempDirectory("noduled-bench-receive");
        try {
            Path folder = series != null ? series : phantom(scratch.resolve("series"), out);
            List<String> files = images(folder);
            long bytes = 0;
            for (String f : files) {
                bytes += Files.size(Path.of(f));
            }
            double megabytes = bytes / 1e6;
            out.printf(Locale.ROOT, "bench receive: %d images, %.1f MB, storescu on loopback, %d timed run(s) after "
                    + "1 warm-up per receiver; synthetic, not for clinical use%n", files.size(), megabytes, runs);
            out.flush();
            Timings ours = timeOurs(files, scratch);
            Timings peer = timeStorescp(files, scratch);
            out.printf(Locale.ROOT, "%-44s %8s %8s %8s%n", "receiver", "p50 s", "min s", "MB/s p50");
            row(out, "noduled StoreScp (fsync per image)", ours, megabytes);
            row(out, "dcmtk storescp (no fsync)", peer, megabytes);
            out.printf(Locale.ROOT, "noduled takes %.2fx storescp's time at p50; machine load average %.2f%n",
                    ours.p50() / peer.p50(), java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage());
            return 0;
        } finally {
            PipelineBench.deleteTree(scratch);
        }
    }

    private Timings timeOurs(List<String> files, Path scratch) throws Exception {
        double[] seconds = new double[runs];
        for (int run = -1; run < runs; run++) {
            Path spool = scratch.resolve("ours-" + (run + 1));
            StoreScp.Settings settings = new StoreScp.Settings("NODULED", InetAddress.getLoopbackAddress(), 0, spool,
                    Set.of(), 4, Duration.ofSeconds(60), StoreScp.Settings.DEFAULT_MAX_IMAGE_BYTES, 0);
            try (StoreScp scp = StoreScp.start(settings, (ae, stored) -> { })) {
                double s = send(files, "NODULED", scp.port(), scratch);
                if (run >= 0) {
                    seconds[run] = s;
                }
            }
            requireAll(spool, files.size(), "noduled");
            PipelineBench.deleteTree(spool);
        }
        return new Timings(seconds);
    }

    private Timings timeStorescp(List<String> files, Path scratch) throws Exception {
        double[] seconds = new double[runs];
        for (int run = -1; run < runs; run++) {
            Path spool = Files.createDirectories(scratch.resolve("storescp-" + (run + 1)));
            int port = FreeLoopbackPort.pick();
            ProcessBuilder builder = new ProcessBuilder("storescp", "-aet", "STORESCP", "-od", spool.toString(),
                    String.valueOf(port)).redirectErrorStream(true)
                    .redirectOutput(scratch.resolve("storescp.log").toFile());
            builder.environment().put("TCP_NODELAY", "1");
            Process storescp = builder.start();
            try {
                awaitPort(port, storescp);
                double s = send(files, "STORESCP", port, scratch);
                if (run >= 0) {
                    seconds[run] = s;
                }
            } finally {
                storescp.destroy();
                storescp.waitFor(10, TimeUnit.SECONDS);
            }
            requireAll(spool, files.size(), "storescp");
            PipelineBench.deleteTree(spool);
        }
        return new Timings(seconds);
    }

    /** One storescu run of every file; its wall time in seconds (process start included, the same for both). */
    private static double send(List<String> files, String calledAe, int port, Path scratch) throws Exception {
        List<String> command = new ArrayList<>(List.of("storescu", "-aet", "BENCH", "-aec", calledAe, "127.0.0.1",
                String.valueOf(port)));
        command.addAll(files);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(scratch.resolve("storescu.log").toFile());
        builder.environment().put("TCP_NODELAY", "1");
        long start = System.nanoTime();
        Process storescu = builder.start();
        if (!storescu.waitFor(300, TimeUnit.SECONDS) || storescu.exitValue() != 0) {
            storescu.destroyForcibly();
            throw new IOException("storescu to " + calledAe + " failed: "
                    + Files.readString(scratch.resolve("storescu.log")).strip());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static Path phantom(Path dir, PrintWriter out) throws IOException, DicomException {
        out.println("making a 512x512x300 phantom (seed 1) ...");
        out.flush();
        PhantomDicom.write(PhantomSpec.defaults(1), dir, 2);
        return dir;
    }

    private static List<String> images(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<String> images = files.filter(p -> p.toString().endsWith(".dcm")).sorted().map(Path::toString)
                    .toList();
            if (images.isEmpty()) {
                throw new IOException("no .dcm files in " + folder);
            }
            return images;
        }
    }

    private static void requireAll(Path spool, int expected, String receiver) throws IOException {
        long stored;
        try (Stream<Path> files = Files.list(spool)) {
            stored = files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .count();
        }
        if (stored != expected) {
            throw new IOException(receiver + " stored " + stored + " of " + expected + " images");
        }
    }

    private static void row(PrintWriter out, String name, Timings t, double megabytes) {
        out.printf(Locale.ROOT, "%-44s %8.2f %8.2f %8.0f%n", name, t.p50(), t.min(), megabytes / t.p50());
    }

    private static void awaitPort(int port, Process process) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IOException("storescp exited with " + process.exitValue());
                }
                Thread.sleep(25);
            }
        }
        throw new IOException("storescp did not listen on port " + port + " within 5 s");
    }
}
