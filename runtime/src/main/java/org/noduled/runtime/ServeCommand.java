package org.noduled.runtime;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.noduled.detect.Detector;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.net.StoreScp;
import org.noduled.dicom.outbox.Outbox;
import org.noduled.dicom.series.SeriesAssembler;
import org.noduled.dicom.series.SeriesScanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code noduled serve --config FILE}: the node as a daemon, fed by its DICOM receiver and a drop folder. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Runs until stopped (SIGTERM/SIGINT finish the series in progress): receives CT images by DICOM",
            "C-STORE when receive.port is set (answered only once fsynced into drop.folder), watches drop.folder,",
            "takes a series as complete when the association that brought all its files is released or when",
            "none of its files is new or growing for drop.idleSeconds, runs it through the",
            "pipeline, writes findings.json and sr.dcm to output.folder and/or queues the SR in the durable",
            "outbox for every destination.<name>, then deletes its files (or moves them, with reason.txt, to",
            "failed.folder when it failed). One latency line per series. The model is opened and checked",
            "before the folder is watched. See deploy/jetson/noduled.conf. Synthetic-trained model, not for",
            "clinical use."})
final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Configuration (properties).")
    private Path configFile;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Counted down to stop; tests count it down instead of sending a signal. */
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        ServeConfig config;
        try {
            config = ServeConfig.read(configFile);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Thread hook = new Thread(this::stopAndWait, "noduled-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ExecutorService pool = IngestThreads.start(config.engine().intraOpThreads());
        try (Detector detector = Detector.open(config.modelCard(), config.engine(), System::nanoTime);
                Outbox outbox = config.destinations().isEmpty() ? null
                        : Outbox.open(config.outboxFolder(), config.destinations())) {
            Files.createDirectories(config.dropFolder());
            Files.createDirectories(config.failedFolder());
            if (outbox != null) {
                outbox.start();
            }
            OutputFolder output = config.outputFolder() == null ? null : new OutputFolder(config.outputFolder());
            SeriesReporter reporter = new SeriesReporter(NodeDevice.reportBuilder(config.deviceName(),
                    Clock.systemDefaultZone()), detector.card().decode().operatingPointScore(), output, outbox);
            SeriesScanner scanner = new SeriesScanner(pool);
            SeriesAssembler assembler = new SeriesAssembler(pool);
            SeriesPipeline pipeline = new SeriesPipeline(assembler, detector, reporter, output, config.budget(),
                    System::nanoTime, LatencyLog.toLog(config.budget()));
            DropFolder drop = new DropFolder(config.dropFolder(), config.idle(), Clock.systemUTC(), scanner);
            PrintWriter out = spec.commandLine().getOut();
            // before the receiver listens: no sender waits on a cold node
            String warmedUp = config.warmupRuns() == 0 ? "" : String.format("warmed up in %d ms (%d synthetic series); ",
                    Warmup.run(detector, pool, config.budget(), config.warmupRuns()).toMillis(), config.warmupRuns());
            try (StoreScp receiver = startReceiver(config, drop)) {
                out.printf("noduled serve: model %s %s (%s) on %s; %s%swatching %s (series complete after %d ms of "
                        + "quiet); output %s; %d destination(s); synthetic-trained model, not for clinical use%n",
                        detector.card().name(), detector.card().version(), detector.card().variant(),
                        detector.executionProvider().label(), warmedUp, receiver == null ? "" : String.format(
                                "receiving DICOM as %s on %s:%d; ", config.receive().aeTitle(),
                                config.receive().bindAddress().getHostAddress(), receiver.port()),
                        config.dropFolder(), config.idle().toMillis(),
                        output == null ? "none" : output.root(), config.destinations().size());
                out.flush();
                new Intake(drop, pipeline, scanner, assembler, config.failedFolder()).run(config.pollInterval(), stop);
            }
            out.println("noduled serve: stopped");
            out.flush();
            return 0;
        } finally {
            pool.shutdownNow();
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running
            }
        }
    }

    /**
     * The DICOM receiver when configured; each released association tells the drop folder what it stored, and
     * each stored image that it may be read at once.
     */
    private static StoreScp startReceiver(ServeConfig config, DropFolder drop) throws DicomException {
        if (config.receive() == null) {
            return null;
        }
        if (config.receive().openToAnyone()) {
            LOG.warn("the DICOM receiver accepts images from any AE title on every network interface: set "
                    + "receive.allowedCallingAeTitles (and receive.bindAddress) to the PACS and scanners you expect");
        }
        return StoreScp.start(config.receive(), new StoreScp.Listener() {
            @Override
            public void released(String callingAeTitle, List<Path> stored) {
                if (config.completeOnRelease()) {
                    drop.released(stored);
                }
            }

            @Override
            public void stored(Path file) {
                if (config.completeOnRelease()) { // pixels read ahead serve only a series complete on release
                    drop.stored(file);
                }
            }
        });
    }

    /** Asks the loop to stop after the series in progress and waits (bounded) for it and the outbox to close. */
    void stopAndWait() {
        stop.countDown();
        try {
            stopped.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
