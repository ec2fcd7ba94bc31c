package org.noduled.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.noduled.detect.Detector;
import org.noduled.detect.DetectorConfig;
import org.noduled.dicom.series.SeriesAssembler;
import org.noduled.dicom.series.SeriesFiles;
import org.noduled.dicom.series.SeriesScanner;

/**
 * One configuration of {@code bench detect}: the whole series path (scan and load from files in the page
 * cache, preprocess, infer, decode, report with the SR fsynced into a scratch output folder) repeated on one
 * series, through the same {@link SeriesPipeline} that {@code noduled detect} runs.
 */
final class PipelineBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param peakRssBytes the process's VmHWM after the runs (-1 where /proc is missing); in a child process
     *                     per configuration that is this configuration's peak
     */
    record Result(String model, String variant, String provider, int batch, int threads, int slabs, int findings,
            Map<PipelineStage, Timings> stages, Timings total, long peakRssBytes) {

        ObjectNode toJson() {
            ObjectNode n = JSON.createObjectNode();
            n.put("model", model).put("variant", variant).put("provider", provider).put("batch", batch)
                    .put("threads", threads).put("slabs", slabs).put("findings", findings)
                    .put("peakRssBytes", peakRssBytes);
            ObjectNode ms = n.putObject("ms");
            stages.forEach((stage, t) -> put(ms.putArray(stage.label()), t));
            put(ms.putArray("total"), total);
            return n;
        }

        static Result fromJson(JsonNode n) {
            Map<PipelineStage, Timings> stages = new EnumMap<>(PipelineStage.class);
            for (PipelineStage stage : PipelineStage.values()) {
                stages.put(stage, timings(n.at("/ms/" + stage.label())));
            }
            return new Result(n.get("model").asText(), n.get("variant").asText(), n.get("provider").asText(),
                    n.get("batch").asInt(), n.get("threads").asInt(), n.get("slabs").asInt(), n.get("findings").asInt(),
                    stages, timings(n.at("/ms/total")), n.get("peakRssBytes").asLong());
        }

        private static void put(com.fasterxml.jackson.databind.node.ArrayNode array, Timings t) {
            for (double ms : t.millis()) {
                array.add(ms);
            }
        }

        private static Timings timings(JsonNode array) {
            double[] ms = new double[array.size()];
            for (int i = 0; i < ms.length; i++) {
                ms[i] = array.get(i).asDouble();
            }
            return new Timings(ms);
        }
    }

    private PipelineBench() {
    }

    /** Opens the model with {@code config}, runs {@code warmup} untimed then {@code runs} timed series. */
    static Result run(Path card, DetectorConfig config, Path series, int warmup, int runs)
            throws IOException, org.noduled.dicom.DicomException {
        Path scratch = Files.createTempDirectory("noduled-bench-");
        ExecutorService pool = IngestThreads.start(config.intraOpThreads());
        try (Detector detector = Detector.open(card, config, System::nanoTime)) {
            LatencyBudget budget = new LatencyBudget(LatencyBudget.DEFAULT_MILLIS);
            OutputFolder output = new OutputFolder(scratch);
            SeriesReporter reporter = new SeriesReporter(NodeDevice.reportBuilder("bench", Clock.systemUTC()),
                    detector.card().decode().operatingPointScore(), output, null);
            SeriesPipeline pipeline = new SeriesPipeline(new SeriesAssembler(pool), detector, reporter, output, budget,
                    System::nanoTime, PipelineListener.NONE);
            SeriesScanner scanner = new SeriesScanner(pool);
            SeriesAssembler assembler = new SeriesAssembler(pool);
            String uid = scanner.scan(List.of(series)).onlySeries().seriesInstanceUid();
            List<SeriesOutcome.Processed> measured = new ArrayList<>();
            for (int i = -warmup; i < runs; i++) {
                // Load = scan the folder's headers and assemble: files in the page cache to a volume.
                SeriesOutcome outcome = pipeline.process(uid, () -> {
                    SeriesFiles files = scanner.scan(List.of(series)).onlySeries();
                    return assembler.assemble(files);
                });
                if (outcome instanceof SeriesOutcome.Failed f) {
                    throw new IllegalStateException("benchmark series failed in " + f.stage().label() + ": " + f.reason());
                }
                if (i >= 0) {
                    measured.add((SeriesOutcome.Processed) outcome);
                }
            }
            Map<PipelineStage, Timings> stages = new EnumMap<>(PipelineStage.class);
            for (PipelineStage stage : PipelineStage.values()) {
                stages.put(stage, new Timings(measured.stream().mapToDouble(p -> p.timings().millis(stage)).toArray()));
            }
            Timings total = new Timings(measured.stream().mapToDouble(p -> p.timings().totalMillis()).toArray());
            SeriesOutcome.Processed last = measured.get(measured.size() - 1);
            return new Result(detector.card().name(), detector.card().variant(), detector.executionProvider().label(),
                    config.batchSize(), config.intraOpThreads(), last.slabs(), last.findings().findings().size(), stages,
                    total, PeakRss.bytes());
        } finally {
            pool.shutdownNow();
            deleteTree(scratch);
        }
    }

    /** Deletes a scratch folder and everything in it (absent: nothing to do). Shared by the benchmarks. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
